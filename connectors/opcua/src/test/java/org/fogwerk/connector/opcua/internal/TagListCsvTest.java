package org.fogwerk.connector.opcua.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** OPC UA tag files as spreadsheets write them: ',' or ';', quoted node ids, errors with line and column. */
class TagListCsvTest {

    private TagListParser.Result parse(String content) {
        TagListParser p = new TagListParser();
        p.parseCsv("etc/tags/press01.csv", content);
        return p.result();
    }

    @Test
    void aSemicolonFileWithQuotedNodeIds() {
        TagListParser.Result r = parse("name;nodeId;samplingInterval;deadband;access;min;max;unit\n"
                + "temp;\"ns=2;s=Temp\";500;0.5;r;;;°C\n"
                + "sp;\"ns=2;s=Setpoint\";;;rw;0;100;bar\n");
        assertEquals(List.of(), r.errors());
        assertEquals(List.of("temp", "sp"), r.tags().stream().map(OpcUaTag::name).toList());
        assertEquals("ns=2;s=Temp", r.tags().get(0).definition().address());
    }

    @Test
    void badCellsNameFileLineAndColumn() {
        TagListParser.Result r = parse("name,nodeId,samplingInterval\n# comment\ntemp,\"ns=2;s=Temp\",fast\n");
        assertEquals(List.of("etc/tags/press01.csv line 3 column 3 (samplingInterval): 'fast' is not a number"),
                r.errors());
    }

    @Test
    void aTagNameWithAControlCharacterIsRefused() {
        TagListParser.Result r = parse("a,ns=2;s=A\n\"tab\tbed\",ns=2;s=B\n");
        assertEquals(List.of("a"), r.tags().stream().map(OpcUaTag::name).toList());
        assertEquals(List.of("etc/tags/press01.csv line 2 column 1 (name): 'tab?bed' holds the control character"
                + " U+0009 at 4: a tag name is one line of printable text"), r.errors());
    }

    @Test
    void anUnclosedQuoteNamesItsLineAndKeepsTheTagsBefore() {
        TagListParser.Result r = parse("a,ns=2;s=A\nb,\"ns=2;s=B\nc,ns=2;s=C\n");
        assertEquals(List.of("a"), r.tags().stream().map(OpcUaTag::name).toList());
        assertEquals(List.of("etc/tags/press01.csv line 2: a quote opened here is not closed, so no tag of lines 2 to 3 is read"), r.errors());
    }
}
