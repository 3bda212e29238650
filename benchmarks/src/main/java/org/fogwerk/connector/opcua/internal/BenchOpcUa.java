package org.fogwerk.connector.opcua.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.fogwerk.api.simulator.SimulatedTag;
import org.fogwerk.connector.opcua.standalone.StandaloneOpcUa;

/** The real OPC UA connector on simulator tags, for the benchmarks that still start it by this name. */
public final class BenchOpcUa {

    private BenchOpcUa() {
    }

    public static Connector start(String name, String url, List<SimulatedTag> tags, Path dir, long intervalMs,
            int queueSize, TagSink sink) throws IOException {
        return StandaloneOpcUa.start(name, url, tags, dir, intervalMs, queueSize, sink);
    }

    public static void stop(Connector c) {
        StandaloneOpcUa.stop(c);
    }
}
