package org.fogwerk.testing;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkStatus;

/**
 * An uplink for tests and benchmarks of what feeds uplinks (routes, the {@code fogwerk:uplink}
 * endpoint): it has a name and takes values as its {@code submit} says; nothing waits in it, so a
 * flush is done at once. It has no status: what feeds an uplink never asks for it.
 */
public abstract class TestUplink implements Uplink {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final String name;

    protected TestUplink(String name) {
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public UplinkStatus status() {
        throw new UnsupportedOperationException("a test uplink has no status");
    }

    @Override
    public CompletionStage<Void> flush() {
        return DONE;
    }
}
