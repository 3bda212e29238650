package org.fogwerk.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** One benchmark: prints its figures to {@code out}, measuring each row for {@code measureMillis}. */
abstract class Benchmark {

    protected final PrintStream out;
    protected final long measureMillis;

    Benchmark(PrintStream out, long measureMillis) {
        this.out = out;
        this.measureMillis = measureMillis;
    }

    /** Deletes a temporary folder of the benchmark's and everything in it, as far as it can. */
    static void deleteTemporary(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temporary files only
        }
    }
}
