package org.fogwerk.support.connector;

import java.util.concurrent.CompletableFuture;

import org.fogwerk.api.connector.WriteResult;

/**
 * The answers a connection gives at once, without asking its device: to a read or a write of
 * a tag it does not have, and to a write of a read-only tag.
 */
public final class TagAnswers {

    private TagAnswers() {
    }

    /** A read of a tag the connection does not have: fails with an IllegalArgumentException. */
    public static <T> CompletableFuture<T> unknownTag(String connectionId, String tag) {
        return CompletableFuture.failedFuture(new IllegalArgumentException(noSuchTag(connectionId, tag)));
    }

    /** A write of a tag the connection does not have: refused. */
    public static CompletableFuture<WriteResult> unknownTagRefused(String connectionId, String tag) {
        return CompletableFuture.completedFuture(WriteResult.refused(connectionId, tag, noSuchTag(connectionId, tag)));
    }

    /** A write of a read-only tag: refused. */
    public static CompletableFuture<WriteResult> readOnlyRefused(String connectionId, String tag) {
        return CompletableFuture.completedFuture(WriteResult.refused(connectionId, tag,
                "tag " + tag + " is read-only"));
    }

    private static String noSuchTag(String connectionId, String tag) {
        return "connection " + connectionId + " has no tag " + tag;
    }
}
