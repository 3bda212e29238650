package org.fogwerk.benchmarks;

import java.io.PrintStream;

/** One benchmark: prints its figures to {@code out}, measuring each row for {@code measureMillis}. */
abstract class Benchmark {

    protected final PrintStream out;
    protected final long measureMillis;

    Benchmark(PrintStream out, long measureMillis) {
        this.out = out;
        this.measureMillis = measureMillis;
    }
}
