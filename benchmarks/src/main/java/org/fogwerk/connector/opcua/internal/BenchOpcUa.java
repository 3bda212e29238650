package org.fogwerk.connector.opcua.internal;

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
import org.osgi.util.converter.Converters;

/** Starts the real OPC UA connector on the given simulator tags, as OpcUaBench does. */
public final class BenchOpcUa {

    private BenchOpcUa() {
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
        return new OpcUaConnection(Converters.standardConverter().convert(m).to(OpcUaConfig.class), m, sink);
    }

    public static void stop(Connector c) {
        ((OpcUaConnection) c).stop();
    }
}
