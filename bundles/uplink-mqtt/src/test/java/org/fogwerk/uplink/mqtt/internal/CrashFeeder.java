package org.fogwerk.uplink.mqtt.internal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.fogwerk.api.TagValue;

/**
 * Child JVM of {@link CrashTest} and {@link KillCyclesTest}: feeds consecutive values (from the
 * optional third argument on) into an uplink as fast as the outbox accepts them, or at the rate
 * in values/s of the optional fourth, and prints {@code accepted <n>} after each batch is on disk,
 * until killed.
 */
public final class CrashFeeder {

    private CrashFeeder() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String url = args[1];
        PrintStream out = System.out;
        MqttUplink uplink = new MqttUplink(TestSupport.settings("crash", TestSupport.map("broker.urls", url)), dir,
                () -> null, TestSupport.THING_IS_CONNECTION);
        long next = args.length > 2 ? Long.parseLong(args[2]) : 0;
        long first = next;
        double rate = args.length > 3 ? Double.parseDouble(args[3]) : 0;
        long start = System.nanoTime();
        while (true) {
            List<TagValue> batch = new ArrayList<>(200);
            for (int i = 0; i < 200; i++) {
                batch.add(TagValue.good("press01", "counter", next++));
            }
            uplink.submit(batch).toCompletableFuture().get();
            out.println("accepted " + (next - 1));
            out.flush();
            if (rate > 0) {
                long due = start + (long) ((next - first) / rate * 1e9);
                java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
            }
        }
    }
}
