package org.fogwerk.connector.opcua.internal.shell;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a connector's answer with a limit, turning failures into one clear line. */
final class Shell {

    static final long TIMEOUT_SECONDS = 30;

    private Shell() {
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            throw new IllegalArgumentException(cause.getMessage() == null ? cause.toString() : cause.getMessage());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IllegalArgumentException("no answer within " + TIMEOUT_SECONDS + " s");
        }
    }
}
