package org.fogwerk.uplink.sparkplug.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

import org.fogwerk.api.TagValue;
import org.fogwerk.uplink.mqtt.internal.MqttUplink;

/** Child JVM of {@link KilledNodeTest}: a Sparkplug edge node sending a value every 10 ms until killed. */
public final class EdgeNodeProcess {

    private EdgeNodeProcess() {
    }

    public static void main(String[] args) throws Exception {
        MqttUplink uplink = Nodes.start(Path.of(args[0]), Nodes.config(args[1], args[2]));
        for (long i = 0;; i++) {
            uplink.onValues(List.of(TagValue.good("press01", "counter", i)));
            LockSupport.parkNanos(10_000_000L);
        }
    }
}
