package org.fogwerk.connector.opcua.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.spi.TagSink;
import org.fogwerk.simulator.internal.OpcUaSimulator;
import org.fogwerk.simulator.internal.OpcUaSimulatorConfig;
import org.osgi.util.converter.Converters;

/** Typed configurations as SCR builds them, a recording sink, free ports and the simulator. */
final class TestSupport {

    private TestSupport() {
    }

    static Map<String, Object> map(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    static OpcUaConfig config(Map<String, Object> map) {
        return Converters.standardConverter().convert(map).to(OpcUaConfig.class);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static OpcUaSimulator simulator(int port, int tags, int writable) {
        OpcUaSimulatorConfig c = Converters.standardConverter().convert(map("port", port, "tag.count", tags,
                "writable.count", writable, "update.interval", 100)).to(OpcUaSimulatorConfig.class);
        return new OpcUaSimulator(c);
    }

    /** Keeps everything a connector publishes. */
    static final class RecordingSink implements TagSink {
        final List<TagValue> values = new CopyOnWriteArrayList<>();
        final Map<String, TagValue> latest = new ConcurrentHashMap<>();

        @Override
        public boolean publish(TagValue value) {
            values.add(value);
            latest.put(value.tag(), value);
            return true;
        }

        @Override
        public int publishAll(List<TagValue> batch) {
            batch.forEach(this::publish);
            return batch.size();
        }

        List<TagValue> of(String tag) {
            List<TagValue> out = new ArrayList<>();
            for (TagValue v : values) {
                if (v.tag().equals(tag)) {
                    out.add(v);
                }
            }
            return out;
        }

        long goodCount() {
            return values.stream().filter(v -> v.quality() == org.fogwerk.api.Quality.GOOD).count();
        }
    }
}
