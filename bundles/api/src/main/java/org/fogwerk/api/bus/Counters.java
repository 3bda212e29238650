package org.fogwerk.api.bus;

/**
 * Counters of one connection or one listener on the tag bus.
 *
 * @param in        values offered (by a connection) or queued (for a listener)
 * @param delivered values passed on
 * @param dropped   values lost because a bounded queue was full
 * @param perSecond values offered per second over the last few seconds
 */
public record Counters(long in, long delivered, long dropped, double perSecond) {
}
