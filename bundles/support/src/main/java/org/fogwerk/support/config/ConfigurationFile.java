package org.fogwerk.support.config;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a component makes on the file its configuration came from, before it uses a single value:
 * FileInstall reads any file whose name ends in {@code .cfg}, and from binary garbage it makes a
 * handful of meaningless keys, so the component would start on its defaults. A file that is not
 * text is refused with a reason naming the file.
 */
public final class ConfigurationFile {

    /** The property Karaf's file installer sets to the file a configuration came from. */
    static final String FILE_PROPERTY = "felix.fileinstall.filename";

    private ConfigurationFile() {
    }

    /**
     * The path of the file a configuration came from, when FileInstall read it from a file.
     *
     * @param properties the configuration's properties, as a component receives them
     * @return the file, empty for a configuration made by {@code config:edit} or a test
     */
    public static Optional<Path> of(Map<String, ?> properties) {
        Object name = properties.get(FILE_PROPERTY);
        if (name == null || name.toString().isBlank()) {
            return Optional.empty();
        }
        String s = name.toString();
        try {
            return Optional.of(s.startsWith("file:") ? Path.of(URI.create(s)) : Path.of(s));
        } catch (IllegalArgumentException e) {
            return Optional.of(Path.of(s.replaceFirst("^file:", "")));
        }
    }

    /**
     * The file a configuration came from as users name it: {@code etc/org.fogwerk.uplink.mqtt-local.cfg}
     * for a file under the node's home folder ({@code karaf.base}), else its full path; empty for a
     * configuration that did not come from a file. Every message about a configuration names its
     * file so, in the shell's tables, the log and {@code /health} alike.
     */
    public static Optional<String> shown(Map<String, ?> properties) {
        return of(properties).map(file -> {
            String base = System.getProperty("karaf.base");
            if (base != null && file.isAbsolute()) {
                Path home = Path.of(base).toAbsolutePath().normalize();
                Path f = file.normalize();
                if (f.startsWith(home)) {
                    return home.relativize(f).toString();
                }
            }
            return file.toString();
        });
    }

    /**
     * Why the file a configuration came from is not a configuration file: it holds a NUL byte or
     * bytes that are not UTF-8 (FileInstall reads {@code .cfg} files as UTF-8).
     *
     * @param properties the configuration's properties, as a component receives them
     * @return the reason, naming the file and the offset of the first bad byte; empty when the file
     *         is text, gone, or the configuration did not come from a file
     */
    public static Optional<String> notText(Map<String, ?> properties) {
        Optional<Path> file = of(properties);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file.get());
        } catch (NoSuchFileException e) {
            return Optional.empty(); // deleted since: FileInstall removes the configuration next
        } catch (IOException e) {
            return Optional.of(file.get() + ": cannot be read: " + e.getMessage());
        }
        return notText(file.get().toString(), bytes);
    }

    public static Optional<String> notText(String file, byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                return Optional.of(file + ": not a text file (NUL byte at offset " + i
                        + "); a .cfg file holds key = value lines");
            }
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            utf8.decode(in);
        } catch (CharacterCodingException e) {
            return Optional.of(file + ": not a text file (byte at offset " + firstInvalid(bytes)
                    + " is not UTF-8); a .cfg file holds key = value lines in UTF-8");
        }
        return Optional.empty();
    }

    /** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
    private static int firstInvalid(byte[] bytes) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
        utf8.decode(in, out, true);
        return in.position();
    }
}
