package org.fogwerk.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * A JVM of the test's own, running a class's {@code main} on the test's class path, to be killed
 * with SIGKILL (a pulled plug) while it works. It says what it has done a line at a time on
 * standard output; the test reads those lines, kills it, and checks what survived on disk.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private Thread reader;

    private ChildJvm(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts {@code main} with {@code args}.
     *
     * @param errors where the child's standard error goes, or {@code null} to discard it
     */
    public static ChildJvm start(Path errors, Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.redirectError(errors == null ? ProcessBuilder.Redirect.DISCARD
                : ProcessBuilder.Redirect.to(errors.toFile()));
        return new ChildJvm(builder.start());
    }

    /**
     * Hands the child's lines to {@code line} in this thread while {@code more} says so of the number
     * read so far, or until the child ends.
     *
     * @return how many lines were read
     */
    public int read(IntPredicate more, Consumer<String> line) throws IOException {
        int n = 0;
        String next;
        while (more.test(n) && (next = out.readLine()) != null) {
            line.accept(next);
            n++;
        }
        return n;
    }

    /**
     * {@link #read} for a child that says {@code fields} words a line, separated by single spaces:
     * hands each line's words to {@code words}; a line of another shape fails the test, naming it.
     *
     * @return how many lines were read
     */
    public int readWords(IntPredicate more, int fields, Consumer<String[]> words) throws IOException {
        return read(more, line -> {
            String[] parts = line.split(" ");
            if (parts.length != fields) {
                throw new AssertionError("child said: " + line + " ==> expected " + fields + " words, not "
                        + parts.length);
            }
            words.accept(parts);
        });
    }

    /** Hands every line of the child's to {@code line} in a thread of its own, until the child is gone. */
    public void readInBackground(Consumer<String> line) {
        reader = new Thread(() -> {
            try {
                read(n -> true, line);
            } catch (IOException | RuntimeException e) {
                // the child is gone
            }
        });
        reader.start();
    }

    /**
     * kill -9.
     *
     * @return whether the child was gone within 10 seconds
     */
    public boolean kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor(10, TimeUnit.SECONDS);
    }

    /** Kills the child if it still runs, and waits up to 5 seconds for the reading thread to see it gone. */
    @Override
    public void close() throws InterruptedException, IOException {
        kill();
        if (reader != null) {
            reader.join(5000);
        } else {
            out.close();
        }
    }
}
