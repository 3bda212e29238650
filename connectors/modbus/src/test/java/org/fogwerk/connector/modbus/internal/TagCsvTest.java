package org.fogwerk.connector.modbus.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;

import org.fogwerk.support.csv.TagTable;
import org.junit.jupiter.api.Test;

/** Modbus tag files as Kepware and European spreadsheets export them. */
class TagCsvTest {

    private TagParser parse(String content) {
        TagParser p = new TagParser(1, Set.of("default", "fast"), 125);
        p.parse(TagTable.read(content), "etc/tags/line2.csv line ");
        return p;
    }

    @Test
    void aSemicolonFileWithAQuotedName() {
        TagParser p = parse("name;unit id;area;address;type\n\"speed; main\";;;40001;int16\ntemp;;holding;1;float32\n");
        assertEquals(List.of(), p.errors());
        assertEquals(List.of("speed; main", "temp"), p.tags().stream().map(TagSpec::name).toList());
    }

    @Test
    void errorsStillNameLineAndColumn() {
        TagParser p = parse("name,unit id,area,address,type\n\nspeed,,,40001,int17\n");
        assertEquals(1, p.errors().size(), p.errors().toString());
        assertEquals(true, p.errors().get(0).startsWith("etc/tags/line2.csv line 3, column 5 (type): "), p.errors().get(0));
    }

    @Test
    void aTagNameWithALineBreakIsRefusedAndTheOthersAreKept() {
        TagParser p = parse("ok,,input,0,int16\n\"line\nbreak\",,input,3,uint16\nnext,,input,4,uint16\n");
        assertEquals(List.of("ok", "next"), p.tags().stream().map(TagSpec::name).toList());
        assertEquals(List.of("etc/tags/line2.csv line 2, column 1 (name): 'line?break' holds the control character"
                + " U+000A at 5: a tag name is one line of printable text"), p.errors());
    }

    @Test
    void anUnclosedQuoteIsOneErrorNamingItsLine() {
        TagParser p = parse("speed,,,40001,int16\n\"temp,,,40002,int16\n");
        assertEquals(List.of("speed"), p.tags().stream().map(TagSpec::name).toList());
        assertEquals(List.of("etc/tags/line2.csv: line 2: a quote opened here is not closed"), p.errors());
    }

    @Test
    void tagsThatReadTheSameRegistersAreNamedWithTheirLines() {
        TagParser p = parse("name,unit id,area,address,type\n"
                + "temp,,holding,10,float32\n"       // 10..11
                + "speed,,holding,11,int16\n"        // overlaps temp
                + "label,,holding,20,string(6)\n"    // 20..22
                + "status,,holding,30,uint16\n"
                + "ready,,holding,30,bit(0)\n"       // bits share their register by design
                + "fault,,holding,30,bit(1)\n"
                + "other,2,holding,10,int16\n"       // another unit
                + "coil,,coil,10,bool\n");           // another area
        assertEquals(List.of(), p.errors());
        assertEquals(List.of("etc/tags/line2.csv line 3: tag speed (holding 11) reads what tag temp (etc/tags/line2.csv"
                + " line 2, holding 10..11) reads too"), p.overlaps());
    }
}
