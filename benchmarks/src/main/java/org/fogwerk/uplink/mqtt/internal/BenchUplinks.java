package org.fogwerk.uplink.mqtt.internal;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;

import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.uplink.Uplink;
import org.osgi.util.converter.Converters;

/** Opens the real MQTT uplink with a configuration map, as its own tests do. */
public final class BenchUplinks {

    private BenchUplinks() {
    }

    /** The running uplink, without a command path; it is also the {@link TagListener} to attach to the bus. */
    public static Uplink open(String name, String node, Map<String, Object> config, Path outboxDir,
            BiFunction<String, String, String> thingOf) throws Exception {
        UplinkSettings s = UplinkSettings.of(Converters.standardConverter().convert(config)
                .to(MqttUplinkConfig.class), name, node);
        return new MqttUplink(s, outboxDir, () -> null, thingOf);
    }

    public static TagListener listener(Uplink uplink) {
        return (MqttUplink) uplink;
    }

    public static void close(Uplink uplink) {
        ((MqttUplink) uplink).close();
    }
}
