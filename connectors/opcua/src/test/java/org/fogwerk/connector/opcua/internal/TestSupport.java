package org.fogwerk.connector.opcua.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.spi.TagSink;
import org.fogwerk.simulator.internal.OpcUaSimulator;
import org.fogwerk.simulator.internal.OpcUaSimulatorConfig;
import org.fogwerk.testing.Configs;

/** Typed configurations as SCR builds them, a recording sink, free ports and the simulator. */
final class TestSupport {

    private TestSupport() {
    }

    static OpcUaConfig config(Map<String, Object> map) {
        return Configs.typed(OpcUaConfig.class, map);
    }

    static OpcUaSimulator simulator(int port, int tags, int writable) {
        OpcUaSimulatorConfig c = Configs.typed(OpcUaSimulatorConfig.class, "port", port, "tag.count", tags,
                "writable.count", writable, "update.interval", 100);
        return new OpcUaSimulator(c);
    }

    /** The connections a test makes, publishing into one recording sink unless told otherwise. */
    static final class Connections {
        final RecordingSink sink = new RecordingSink();
        private final List<OpcUaConnection> made = new CopyOnWriteArrayList<>();

        /** A connection with the configuration of these properties, as SCR hands them over. */
        OpcUaConnection make(Map<String, Object> properties) {
            return make(properties, sink);
        }

        /** The same, publishing into {@code into}. */
        OpcUaConnection make(Map<String, Object> properties, TagSink into) {
            OpcUaConnection c = new OpcUaConnection(config(properties), properties, into);
            made.add(c);
            return c;
        }

        /** Stops every connection made, at the end of the test. */
        void stop() {
            made.forEach(OpcUaConnection::stop);
        }
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
