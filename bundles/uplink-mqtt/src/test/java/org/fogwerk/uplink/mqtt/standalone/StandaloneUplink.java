package org.fogwerk.uplink.mqtt.standalone;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.BiFunction;

import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.uplink.mqtt.internal.MqttUplink;
import org.fogwerk.uplink.mqtt.internal.MqttUplinkConfig;
import org.fogwerk.uplink.mqtt.internal.UplinkSettings;
import org.osgi.util.converter.Converters;

/**
 * The real MQTT uplink with the plain profile, opened from a configuration map without OSGi, for
 * the benchmarks. Shipped in the uplink bundle's test jar only.
 */
public final class StandaloneUplink {

    private StandaloneUplink() {
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
