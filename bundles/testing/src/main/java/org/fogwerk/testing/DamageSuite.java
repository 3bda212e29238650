package org.fogwerk.testing;

import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test of the chaos suite: a store filled, damaged as each of {@link Damage#seeds()} says and
 * opened again, one dynamic test a seed, each in a folder of its own.
 */
public abstract class DamageSuite {

    @TempDir
    private Path dir;

    /** The test of one seed, with the store's folder (not yet created). */
    @FunctionalInterface
    protected interface SeedTest {
        void run(long seed, Path folder) throws Exception;
    }

    /** One test a seed, named after its seed, each in the folder {@code <name>-<seed>}. */
    protected final Stream<DynamicTest> eachSeed(String name, SeedTest test) {
        return Damage.eachSeed(seed -> test.run(seed, dir.resolve(name + "-" + seed)));
    }
}
