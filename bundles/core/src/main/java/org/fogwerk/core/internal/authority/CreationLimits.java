package org.fogwerk.core.internal.authority;

import java.util.EnumMap;
import java.util.Map;

import org.fogwerk.api.authority.Source;

/**
 * How fast remote sources may create shadows, and how many a thing may have from them: even
 * where the policy lets a source create shadows, a client in a loop must not fill the node's
 * disk. Each remote source has a bucket of {@value #BURST} creations that refills by one a
 * second; a thing holds at most {@value #MAX_SHADOWS_PER_THING} shadows created remotely.
 */
final class CreationLimits {

    static final int BURST = 100;
    static final int MAX_SHADOWS_PER_THING = 100;
    private static final long REFILL_NANOS = 1_000_000_000L;

    private final Map<Source, long[]> buckets = new EnumMap<>(Source.class);
    private final java.util.function.LongSupplier clock;

    CreationLimits() {
        this(System::nanoTime);
    }

    CreationLimits(java.util.function.LongSupplier clock) {
        this.clock = clock;
    }

    /** Why this creation is refused, or {@code null} when it may go ahead (and is counted). */
    synchronized String refusal(Source source, int shadowsOfThing) {
        if (shadowsOfThing >= MAX_SHADOWS_PER_THING) {
            return "the thing has " + shadowsOfThing + " shadows, the most " + source.id() + " may create is "
                    + MAX_SHADOWS_PER_THING;
        }
        long now = clock.getAsLong();
        long[] b = buckets.computeIfAbsent(source, s -> new long[] {BURST, now});
        long refill = (now - b[1]) / REFILL_NANOS;
        if (refill > 0) {
            b[0] = Math.min(BURST, b[0] + refill);
            b[1] += refill * REFILL_NANOS;
        }
        if (b[0] <= 0) {
            return source.id() + " creates shadows too fast: at most " + BURST + " at once and one a second after";
        }
        b[0]--;
        return null;
    }
}
