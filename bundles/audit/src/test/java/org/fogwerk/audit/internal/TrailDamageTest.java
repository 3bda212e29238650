package org.fogwerk.audit.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.stream.Stream;

import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditVerification;
import org.fogwerk.testing.Damage;
import org.fogwerk.testing.DamageSuite;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.slf4j.LoggerFactory;

/**
 * The audit trail's file damaged at random offsets ({@link Damage#seeds()}): the trail opens,
 * leaves the damaged file as evidence, goes on in a new file, and {@code verify} names where the
 * chain breaks.
 */
class TrailDamageTest extends DamageSuite {

    private static final int ENTRIES = 300;

    @TestFactory
    Stream<DynamicTest> trail() {
        return eachSeed("trail", this::trail);
    }

    private void trail(long seed, Path folder) throws Exception {
        try (AuditLog log = Trails.open(folder)) {
            Trails.appendWrites(log, ENTRIES);
        }
        String damage = Damage.apply(Trails.file(folder, 1), seed);
        try (AuditLog log = Trails.open(folder)) {
            AuditEntry next = Trails.appendWrites(log, 1).get(0);
            assertTrue(next.sequence() > 0, damage + ": the trail takes new entries");
            AuditVerification v = log.verify();
            LoggerFactory.getLogger(TrailDamageTest.class).info("Audit trail seed {}: {}; verify: {} entries, intact"
                    + " {}, first break at {}, {} problem(s)", seed, damage, v.entries(), v.intact(), v.firstBreak(),
                    v.problems().size());
            // a cut exactly at a line end removes whole entries: the chain of what is left is sound
            assertTrue(v.intact() || !v.problems().isEmpty(), damage);
            if (!damage.startsWith("cut")) {
                assertFalse(v.intact(), damage + ": a changed byte breaks the hash chain");
            }
        }
    }
}
