package org.fogwerk.connector.opcua.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.fogwerk.api.simulator.SimulatedTag;
import org.fogwerk.connector.opcua.internal.OpcUaConfig;
import org.fogwerk.connector.opcua.internal.OpcUaConnection;
import org.fogwerk.testing.Configs;

/**
 * The real OPC UA connector on a plain class path, subscribed to the tags a simulator serves; for
 * the benchmarks. The package is not exported.
 */
public final class StandaloneOpcUa {

    private StandaloneOpcUa() {
    }

    /** A running connector subscribed to every tag, sampling and publishing every {@code intervalMs}. */
    public static Connector start(String name, String url, List<SimulatedTag> tags, Path dir, long intervalMs,
            int queueSize, TagSink sink) throws IOException {
        return start(name, url, tags, dir, intervalMs, intervalMs, queueSize, sink);
    }

    /** A running connector subscribed to every tag, publishing every {@code intervalMs}, sampling every {@code samplingMs}. */
    public static Connector start(String name, String url, List<SimulatedTag> tags, Path dir, long intervalMs,
            long samplingMs, int queueSize, TagSink sink) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("name,nodeId,samplingInterval,deadband,access,min,max,unit,description");
        for (SimulatedTag t : tags) {
            lines.add(t.name() + "," + t.address() + ",,,r,,,,");
        }
        Path csv = dir.resolve("tags-" + name + ".csv");
        Files.write(csv, lines);
        Map<String, Object> m = new HashMap<>();
        m.put("endpoint.url", url);
        m.put("felix.fileinstall.filename", "etc/org.fogwerk.connector.opcua-" + name + ".cfg");
        m.put("publishing.interval", String.valueOf(intervalMs));
        m.put("sampling.interval", String.valueOf(samplingMs));
        m.put("queue.size", String.valueOf(queueSize));
        m.put("pki.dir", dir.resolve("pki").toString());
        m.put("tags.file", csv.toString());
        return new OpcUaConnection(Configs.typed(OpcUaConfig.class, m), m, sink);
    }

    public static void stop(Connector c) {
        ((OpcUaConnection) c).stop();
    }
}
