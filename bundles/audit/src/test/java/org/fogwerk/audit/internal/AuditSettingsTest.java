package org.fogwerk.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.fogwerk.testing.Configs;
import org.junit.jupiter.api.Test;

class AuditSettingsTest {

    @Test
    void aValueOutsideItsRangeTakesTheDefaultAndTheTrailKeepsRunning() {
        AuditLog.Settings s = AuditTrailComponent.settings(Configs.typed(AuditConfig.class,
                Map.of("rotate.size.mib", 0, "keep.files", -1, "sync.interval.ms", 70_000, "wait.ms", 0)));
        assertEquals(16L * 1024 * 1024, s.rotateBytes());
        assertEquals(0, s.keepFiles());
        assertEquals(100, s.syncMillis());
        assertEquals(5000, s.waitMillis());
        AuditLog.Settings good = AuditTrailComponent.settings(Configs.typed(AuditConfig.class,
                Map.of("rotate.size.mib", 1, "keep.files", 2, "sync.interval.ms", 0, "wait.ms", 10)));
        assertEquals(1024L * 1024, good.rotateBytes());
        assertEquals(2, good.keepFiles());
        assertEquals(0, good.syncMillis());
        assertEquals(10, good.waitMillis());
    }
}
