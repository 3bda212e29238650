package org.fogwerk.support.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Tag CSVs as integrators export them from spreadsheets and PLC projects, and as they arrive
 * damaged: any text is read without an exception, a refusal names the line, and every row the
 * writer side quotes comes back as written. Tries: {@code jqwik.tries.default} (1,000 in the test
 * run, 10,000 with -Pchaos).
 */
class TagTableFuzzTest {

    /** Text made of what breaks CSV readers: quotes, both delimiters, line breaks, BOMs, comments. */
    @Provide
    Arbitrary<String> csvText() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.of("\"", ",", ";", "\n", "\r\n", "\r", "#", "name", "\uFEFF", " ", "\"\"", "\t", "\u0000"),
                Arbitraries.strings().ofMaxLength(8));
        return pieces.list().ofMaxSize(40).map(l -> String.join("", l));
    }

    @Property
    void anyTextIsReadOrRefusedNamingALine(@ForAll("csvText") String text) {
        TagTable.Result r = TagTable.read(text);
        long lines = text.chars().filter(c -> c == '\n').count() + text.chars().filter(c -> c == '\r').count() + 1;
        int previous = 0;
        for (TagTable.Row row : r.rows()) {
            assertTrue(row.line() > previous && row.line() <= lines, "row line " + row.line() + " of " + lines);
            previous = row.line();
        }
        if (r.problem() != null) {
            assertTrue(r.problem().matches("(?s)line \\d+: .+"), r.problem());
            int line = Integer.parseInt(r.problem().substring(5, r.problem().indexOf(':')));
            assertTrue(line > previous - 1 && line <= lines, r.problem());
        }
    }

    @Provide
    Arbitrary<String> cell() {
        return Arbitraries.strings().withChars("abcXYZ019 ,;\"'\n=.°ü").ofMinLength(1).ofMaxLength(12);
    }

    @Provide
    Arbitrary<List<List<String>>> table() {
        return cell().list().ofMinSize(1).ofMaxSize(5).list().ofMinSize(1).ofMaxSize(6);
    }

    @Property
    void rowsWrittenWithLineComeBackAsWritten(@ForAll("table") List<List<String>> table) {
        List<List<String>> written = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (List<String> cells : table) {
            List<String> row = new ArrayList<>(cells);
            row.set(0, "t" + row.get(0)); // a first cell of "name" or "#..." is a header or a comment by design
            written.add(row);
            text.append(TagTable.line(row.toArray(new String[0]))).append('\n');
        }
        TagTable.Result r = TagTable.read(text.toString(), ',');
        assertNull(r.problem(), r.problem());
        assertEquals(written, r.rows().stream().map(TagTable.Row::cells).toList());
    }
}
