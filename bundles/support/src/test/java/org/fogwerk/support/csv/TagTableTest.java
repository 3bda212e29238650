package org.fogwerk.support.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

class TagTableTest {

    @Test
    void commaFileWithHeaderCommentsAndQuotes() {
        TagTable.Result r = TagTable.read("# press 1\nname,nodeId,unit\n\ntemp,\"ns=2;s=Temp\",\"°C, oil\"\n"
                + "speed,ns=2;s=Speed,\"rpm \"\"x\"\"\"\n");
        assertEquals(',', r.delimiter());
        assertNull(r.problem());
        assertEquals(List.of(new TagTable.Row(4, List.of("temp", "ns=2;s=Temp", "°C, oil")),
                new TagTable.Row(5, List.of("speed", "ns=2;s=Speed", "rpm \"x\""))), r.rows());
    }

    @Test
    void semicolonFileAsExcelAndKepwareWriteItInEurope() {
        TagTable.Result r = TagTable.read("\uFEFFname;address;type;scale\r\nspeed;40001;int16;0,1\r\n"
                + "\"temp; oil\";40002;float32;1\r\n");
        assertEquals(';', r.delimiter());
        assertEquals(List.of(new TagTable.Row(2, List.of("speed", "40001", "int16", "0,1")),
                new TagTable.Row(3, List.of("temp; oil", "40002", "float32", "1"))), r.rows());
    }

    @Test
    void aQuotedLineBreakStaysInItsCellAndTheNextRowKeepsItsLine() {
        TagTable.Result r = TagTable.read("a,\"two\nlines\"\nb,x\n");
        assertEquals(List.of(new TagTable.Row(1, List.of("a", "two\nlines")), new TagTable.Row(3, List.of("b", "x"))),
                r.rows());
    }

    @Test
    void aLineThatIsNotUtf8IsLeftOutByNameAndTheOthersAreRead(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("tags.csv");
        // "caféTag" as a spreadsheet saves it in Windows-1252: é is the single byte E9
        java.nio.file.Files.write(file, new byte[] {'a', ',', '1', '\n', 'c', 'a', 'f', (byte) 0xE9, ',', '2', '\n', 'b',
            ',', '3', '\n'});
        TagTable.Result r = TagTable.read(TagTable.text(file));
        assertEquals(List.of(new TagTable.Row(1, List.of("a", "1")), new TagTable.Row(3, List.of("b", "3"))), r.rows());
        assertEquals(List.of("line 2: not UTF-8 text at column 4 (save the file as UTF-8, in Excel \"CSV UTF-8\");"
                + " the line is left out"), r.skipped());
        assertNull(r.problem());
    }

    @Test
    void anUnclosedQuoteNamesTheLineItStartsOnAndKeepsTheRowsBefore() {
        TagTable.Result r = TagTable.read("a,1\nb,\"2\nc,3\n");
        assertEquals(List.of(new TagTable.Row(1, List.of("a", "1"))), r.rows());
        assertEquals("line 2: a quote opened here is not closed, so no tag of lines 2 to 3 is read", r.problem());
    }

    @Test
    void writesCellsQuotedWhereTheyMustBe() {
        assertEquals("temp,\"ns=2;s=A,B\",\"say \"\"hi\"\"\",", TagTable.line("temp", "ns=2;s=A,B", "say \"hi\"", null));
        TagTable.Result back = TagTable.read(TagTable.line("temp", "ns=2;s=A,B", "say \"hi\""), ',');
        assertEquals(List.of("temp", "ns=2;s=A,B", "say \"hi\""), back.rows().get(0).cells());
    }
}
