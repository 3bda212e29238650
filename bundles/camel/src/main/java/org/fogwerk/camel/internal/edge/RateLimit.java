package org.fogwerk.camel.internal.edge;

/**
 * At most one value per tag in each interval: a value is due when at least the interval has
 * passed since the last one sent. A value that is not due is dropped, not delayed.
 */
final class RateLimit {

    private final long minIntervalMillis;

    RateLimit(long minIntervalMillis) {
        this.minIntervalMillis = minIntervalMillis;
    }

    /**
     * @param lastSent time the tag's last value was sent (epoch ms)
     * @param now      time of the new value
     */
    boolean due(long lastSent, long now) {
        // a clock set back must not hold a tag until it catches up again
        return now < lastSent || now - lastSent >= minIntervalMillis;
    }
}
