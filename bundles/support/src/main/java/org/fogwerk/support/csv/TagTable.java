package org.fogwerk.support.csv;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * A tag list as integrators export it from PLC projects and spreadsheets: CSV read with
 * Jackson's CSV dataformat, fields quoted with {@code "} where they hold the delimiter, a quote
 * or a line break, the delimiter {@code ,} or {@code ;} (Kepware, and Excel in most of Europe)
 * taken from the first line, {@code #} comment lines, blank lines and a header line (first cell
 * {@code name}) skipped. What the cells mean is the connector's business: this only gives rows
 * with the line each starts on, so errors can name file, line and column.
 */
public final class TagTable {

    /** One data row: the 1-based line it starts on, and its cells as written (not trimmed). */
    public record Row(int line, List<String> cells) {
    }

    /**
     * The rows read, the delimiter used, a syntax problem that ended the reading (if any), and the
     * lines left out, each with why (text that is not UTF-8).
     */
    public record Result(List<Row> rows, char delimiter, String problem, List<String> skipped) {
    }

    private static final CsvMapper MAPPER = new CsvMapper();

    private TagTable() {
    }

    /**
     * A tag file's text. Bytes that are not UTF-8 (a file saved by a spreadsheet in its Windows
     * code page) become U+FFFD, so {@link #read} leaves out their lines, each named, and reads the
     * others, instead of the whole file failing.
     */
    public static String text(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    /** Reads a tag file; the delimiter is {@code ;} when the first line has more of them than {@code ,}. */
    public static Result read(String text) {
        return read(text, delimiterOf(text));
    }

    public static Result read(String text, char delimiter) {
        String content = text.startsWith("\uFEFF") ? text.substring(1) : text;
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(delimiter).withQuoteChar('"').withoutHeader();
        ObjectReader reader = MAPPER.readerFor(String[].class).with(schema);
        List<Row> rows = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        boolean headerSeen = false;
        for (Record record : records(content)) {
            String r = record.text.strip();
            if (r.isEmpty() || r.startsWith("#")) {
                continue;
            }
            int bad = record.text.indexOf('\uFFFD');
            if (bad >= 0) {
                skipped.add("line " + record.line + ": not UTF-8 text at column " + (bad + 1) + " (save the file as"
                        + " UTF-8, in Excel \"CSV UTF-8\"); the line is left out");
                headerSeen = true;
                continue;
            }
            if (record.unclosedQuote) {
                // the open quote takes the rest of the file into one cell: say how much is lost with it
                int last = record.line + (int) r.chars().filter(ch -> ch == '\n').count();
                return new Result(List.copyOf(rows), delimiter, "line " + record.line
                        + ": a quote opened here is not closed"
                        + (last > record.line ? ", so no tag of lines " + record.line + " to " + last + " is read" : ""),
                        List.copyOf(skipped));
            }
            List<String> cells;
            try {
                cells = List.of(reader.<String[]>readValue(record.text));
            } catch (IOException e) {
                String why = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage()
                        : e.getMessage();
                return new Result(List.copyOf(rows), delimiter, "line " + record.line + ": not readable as CSV (" + why
                        + ")", List.copyOf(skipped));
            }
            boolean header = !headerSeen && !cells.isEmpty() && cells.get(0).strip().equalsIgnoreCase("name");
            headerSeen = true;
            if (!header && !blank(cells)) {
                rows.add(new Row(record.line, cells));
            }
        }
        return new Result(List.copyOf(rows), delimiter, null, List.copyOf(skipped));
    }

    /** One CSV record (a line, or several when a quoted cell holds line breaks) and the line it starts on. */
    private record Record(int line, String text, boolean unclosedQuote) {
    }

    /**
     * Cuts the text into records at line breaks outside quotes. Only the quote state is followed
     * here, to know the line each record starts on (Jackson's CSV parser does not report it
     * reliably); the cells are Jackson's business.
     */
    private static List<Record> records(String text) {
        List<Record> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int line = 1;
        int start = 1;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if ((c == '\n' || c == '\r') && !quoted) {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                out.add(new Record(start, current.toString(), false));
                current.setLength(0);
                line++;
                start = line;
                continue;
            }
            if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
            }
            current.append(c);
        }
        if (current.length() > 0) {
            out.add(new Record(start, current.toString(), quoted));
        }
        return out;
    }

    /**
     * Why a tag name cannot be used, or null. A name is one line of printable text: a control
     * character (a line break in a quoted cell, a tab, ESC ...) would reach MQTT topics, shell
     * tables and logs, and MQTT clients refuse to send such a topic at all.
     */
    public static String nameProblem(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                return String.format("'%s' holds the control character U+%04X at %d: a tag name is one line of"
                        + " printable text", name.replaceAll("\\p{Cntrl}", "?"), (int) c, i + 1);
            }
        }
        return null;
    }

    /** One CSV line with {@code ,}, each cell quoted where it must be. */
    public static String line(String... cells) {
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(',').withQuoteChar('"').withoutHeader()
                .withLineSeparator("");
        StringWriter out = new StringWriter();
        try (CsvGenerator g = (CsvGenerator) MAPPER.getFactory().createGenerator(out)) {
            g.setSchema(schema);
            g.writeStartArray();
            for (String c : cells) {
                g.writeString(c == null ? "" : c);
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new IllegalStateException("writing to a string failed", e);
        }
        return out.toString();
    }

    /** {@code ;} when the first line that is not blank or a comment has more of them than {@code ,}. */
    static char delimiterOf(String text) {
        for (String line : text.split("\\R")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int commas = 0;
            int semicolons = 0;
            boolean quoted = false;
            for (int i = 0; i < l.length(); i++) {
                char c = l.charAt(i);
                if (c == '"') {
                    quoted = !quoted;
                } else if (!quoted && c == ',') {
                    commas++;
                } else if (!quoted && c == ';') {
                    semicolons++;
                }
            }
            return semicolons > commas ? ';' : ',';
        }
        return ',';
    }

    private static boolean blank(List<String> cells) {
        return cells.stream().allMatch(String::isBlank);
    }
}
