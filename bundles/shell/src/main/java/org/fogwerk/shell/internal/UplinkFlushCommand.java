package org.fogwerk.shell.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.authority.Roles;
import org.fogwerk.api.uplink.Uplink;

@Service
@Command(scope = "fogwerk", name = "uplink-flush", description = "Waits until the uplink's outbox is empty (broker acknowledged everything)")
public class UplinkFlushCommand extends OneUplinkAction {

    @Option(name = "-t", aliases = "--timeout", description = "Seconds to wait (default 30)")
    int timeout = 30;

    @Override
    protected String role() {
        return Roles.OPERATOR;
    }

    @Override
    protected Object answer() throws InterruptedException {
        if (timeout <= 0) {
            throw new IllegalArgumentException("--timeout must be positive, got " + timeout);
        }
        Uplink u = uplink();
        long start = System.nanoTime();
        try {
            u.flush().toCompletableFuture().get(timeout, TimeUnit.SECONDS);
            out().printf("Uplink %s: outbox empty after %d ms, %d messages sent%n", name,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), u.status().sent());
        } catch (TimeoutException e) {
            out().printf("Uplink %s: not empty after %d s: %d messages still in the outbox (state %s%s)%n", name,
                    timeout, u.status().outboxDepth(), u.status().state(),
                    u.status().lastError().isEmpty() ? "" : ": " + u.status().lastError());
        } catch (ExecutionException e) {
            out().printf("Uplink %s: flush failed: %s%n", name, e.getCause().getMessage());
        }
        return null;
    }
}
