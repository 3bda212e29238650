package org.fogwerk.uplink.sparkplug.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.eclipse.tahu.protobuf.SparkplugBProto.DataType;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's bdSeq, which pairs each NBIRTH with the NDEATH the broker holds as its will, kept
 * on disk so that a restarted node does not reuse it.
 */
final class DeathCertificate {

    /** Logs as the profile, so one logger setting covers all of it. */
    private static final Logger LOG = LoggerFactory.getLogger(SparkplugProfile.class);

    private final String uplink;
    private final Path bdSeqFile;
    private volatile int bdSeq;
    /** Whether the bdSeq in use went out in a CONNECT that got a session: the next CONNECT takes a new one. */
    private volatile boolean bdSeqUsed = true;

    DeathCertificate(String uplink, Path dataDir) throws IOException {
        this.uplink = uplink;
        this.bdSeqFile = dataDir.resolve("bdseq");
        this.bdSeq = readBdSeq(bdSeqFile);
    }

    /** The bdSeq of the coming CONNECT's will and of its session's NBIRTH. */
    int bdSeq() {
        return bdSeq;
    }

    /** Before each CONNECT: the NDEATH for its will, with a new bdSeq if the last one got a session. */
    byte[] will() {
        if (bdSeqUsed) {
            bdSeqUsed = false;
            nextBdSeq();
        }
        return ndeath();
    }

    /** A CONNECT got a session: its bdSeq is used. */
    void sessionStarted() {
        bdSeqUsed = true;
    }

    /** The NDEATH of the current bdSeq. */
    byte[] ndeath() {
        long now = System.currentTimeMillis();
        return Payload.newBuilder().setTimestamp(now).addMetrics(Metric.newBuilder().setName(SparkplugProfile.BD_SEQ)
                .setTimestamp(now).setDatatype(DataType.Int64_VALUE).setLongValue(bdSeq)).build().toByteArray();
    }

    /**
     * A new bdSeq, on disk first: after a restart the node must not reuse the number of a will the
     * broker may still hold. Attempts that never got a session (broker away) keep the number.
     */
    private void nextBdSeq() {
        int next = (bdSeq + 1) & 0xFF;
        try {
            Path tmp = bdSeqFile.resolveSibling("bdseq.tmp");
            Files.writeString(tmp, Integer.toString(next), StandardCharsets.US_ASCII);
            Files.move(tmp, bdSeqFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Uplink {}: cannot keep bdSeq in {}: {}", uplink, bdSeqFile, e.toString());
        }
        bdSeq = next;
    }

    private static int readBdSeq(Path file) throws IOException {
        if (!Files.exists(file)) {
            return -1; // the first CONNECT carries 0
        }
        try {
            return Integer.parseInt(Files.readString(file, StandardCharsets.US_ASCII).trim()) & 0xFF;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
