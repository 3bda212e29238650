package org.fogwerk.uplink.sparkplug.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of the node: the broker publishes the NDEATH it was given as will, with the birth's bdSeq. */
class KilledNodeTest {

    @TempDir
    Path dir;

    @Test
    void theBrokerPublishesNdeathWhenTheNodeIsKilled() throws Exception {
        String group = Nodes.group();
        try (SparkplugHost host = new SparkplugHost(EdgeNodeTest.URL, group)) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), EdgeNodeProcess.class.getName(), dir.toString(),
                    EdgeNodeTest.URL, group)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            SparkplugHost.Received nbirth;
            try {
                nbirth = host.await(r -> r.verb().equals("NBIRTH"));
                host.await(r -> r.verb().equals("DDATA"));
            } finally {
                child.destroyForcibly(); // SIGKILL: no NDEATH of its own
                child.waitFor(10, TimeUnit.SECONDS);
            }
            SparkplugHost.Received ndeath = host.await(r -> r.verb().equals("NDEATH"));
            assertEquals("edge1", ndeath.node());
            assertEquals(nbirth.metric("bdSeq").getValue(), ndeath.metric("bdSeq").getValue());
            assertEquals(1, ndeath.payload().getMetrics().size());
            assertNull(ndeath.payload().getSeq());
        }
    }
}
