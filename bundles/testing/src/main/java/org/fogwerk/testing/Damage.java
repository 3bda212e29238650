package org.fogwerk.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * What a full disk, a pulled plug or a bad sector does to a store file, reproducible from a seed:
 * the file cut at a random offset, a few bytes flipped, or a 4 KiB block zeroed. The chaos suite
 * damages every store with {@link #seeds()} seeds (3 in the test run, 20 with -Pchaos).
 */
public final class Damage {

    private Damage() {
    }

    /** Whether the long form of the chaos suite runs ({@code -Pchaos}). */
    public static boolean longForm() {
        return Boolean.getBoolean("fogwerk.chaos.long");
    }

    /** The seeds to damage each store with. */
    public static LongStream seeds() {
        return LongStream.rangeClosed(1, longForm() ? 20 : 3);
    }

    /** One test a seed ({@link #seeds()}), named after its seed. */
    public static Stream<DynamicTest> eachSeed(ThrowingConsumer<Long> test) {
        return seeds().mapToObj(seed -> DynamicTest.dynamicTest("seed " + seed, () -> test.accept(seed)));
    }

    /**
     * Damages a file as the seed says.
     *
     * @return what was done, for the test's message
     */
    public static String apply(Path file, long seed) throws IOException {
        Random random = new Random(seed * 7919);
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            long size = f.length();
            if (size == 0) {
                return "empty file left as it is";
            }
            switch ((int) (seed % 3)) {
                case 0: {
                    long at = (long) (random.nextDouble() * size);
                    f.setLength(at);
                    return "cut at " + at + " of " + size;
                }
                case 1: {
                    int n = 1 + random.nextInt(16);
                    StringBuilder where = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        long at = (long) (random.nextDouble() * size);
                        f.seek(at);
                        int b = f.read();
                        f.seek(at);
                        f.write(b ^ (1 + random.nextInt(255)));
                        where.append(i == 0 ? "" : ",").append(at);
                    }
                    return n + " bytes flipped at " + where;
                }
                default: {
                    long at = (long) (random.nextDouble() * size) & ~4095L;
                    f.seek(at);
                    f.write(new byte[(int) Math.min(4096, size - at)]);
                    return "4 KiB zeroed at " + at + " of " + size;
                }
            }
        }
    }
}
