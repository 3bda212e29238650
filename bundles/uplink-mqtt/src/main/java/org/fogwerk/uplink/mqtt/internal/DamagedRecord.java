package org.fogwerk.uplink.mqtt.internal;

/** A stored outbox record whose bytes no longer match its checksum, or too short to be one. */
final class DamagedRecord extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final transient byte[] record;

    DamagedRecord(long seq, byte[] record, String why) {
        super("message " + seq + " " + why);
        this.record = record;
    }

    /** The bytes as they are stored now. */
    byte[] record() {
        return record;
    }
}
