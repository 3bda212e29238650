package org.fogwerk.core.internal.authority;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.fogwerk.api.authority.Source;
import org.junit.jupiter.api.Test;

class CreationLimitsTest {

    @Test
    void aRemoteSourceCreatesABurstThenOneASecondAndEachSourceHasItsOwnBucket() {
        AtomicLong now = new AtomicLong();
        CreationLimits limits = new CreationLimits(now::get);
        for (int i = 0; i < CreationLimits.BURST; i++) {
            assertNull(limits.refusal(Source.AWS_LOCAL, 0), "creation " + i);
        }
        String refused = limits.refusal(Source.AWS_LOCAL, 0);
        assertEquals("aws-local creates shadows too fast: at most 100 at once and one a second after", refused);
        assertNull(limits.refusal(Source.MQTT_COMMAND, 0), "another source is not held up");
        now.addAndGet(2_000_000_000L);
        assertNull(limits.refusal(Source.AWS_LOCAL, 0));
        assertNull(limits.refusal(Source.AWS_LOCAL, 0));
        assertTrue(limits.refusal(Source.AWS_LOCAL, 0) != null, "two seconds gave two creations");
    }

    @Test
    void aThingHoldsABoundedNumberOfRemotelyCreatedShadows() {
        CreationLimits limits = new CreationLimits(() -> 0L);
        assertTrue(limits.refusal(Source.AWS_LOCAL, 100).contains("the most aws-local may create is 100"));
    }
}
