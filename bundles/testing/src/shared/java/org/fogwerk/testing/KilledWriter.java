package org.fogwerk.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * A store's writer in a {@link ChildJvm}: its {@code main} writes to a directory with several threads
 * at once and says what it has acknowledged, a line of words at a time. The test reads those lines
 * until it has enough, kills the writer with SIGKILL (a pulled plug), and checks what survived on disk.
 */
public final class KilledWriter {

    private final Class<?> main;
    private final int threads;

    /**
     * @param main    the writer, whose {@code main} takes the directory, the number of threads and then any
     *                options
     * @param threads how many threads write at once
     */
    public KilledWriter(Class<?> main, int threads) {
        this.main = main;
        this.threads = threads;
    }

    /**
     * Runs the writer on {@code dir}, hands the words of each line it says ({@code fields} of them) to
     * {@code words} while {@code more} says so of the number read so far, then kills it.
     *
     * @return how many lines were read
     */
    public int runUntilKilled(Path dir, IntPredicate more, int fields, Consumer<String[]> words, String... options)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(dir.toString(), String.valueOf(threads)));
        args.addAll(List.of(options));
        try (ChildJvm child = ChildJvm.start(null, main, args.toArray(String[]::new))) {
            int lines = child.readWords(more, fields, words);
            if (!child.kill()) {
                throw new AssertionError("the writer still ran 10 seconds after kill -9");
            }
            return lines;
        }
    }
}
