package org.fogwerk.connector.modbus.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.fogwerk.support.config.InvalidConfigurationException;
import org.fogwerk.support.csv.TagTable;
import org.osgi.util.converter.Converters;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Modbus files and tag CSVs as they come out of spreadsheets, mistyped or cut: a file gives a
 * connection or one error naming the file and the key; a tag table gives the good tags and one
 * error per bad line naming the file and the line, never another exception. Tries:
 * {@code jqwik.tries.default}.
 */
class ModbusFuzzTest {

    private static final String FILE = "/opt/fogwerk/etc/org.fogwerk.connector.modbus-line2.cfg";

    @Provide
    Arbitrary<String> cell() {
        return Arbitraries.oneOf(Arbitraries.of("speed", "temp", "", " ", "1", "0", "-1", "40001", "30001", "65536",
                "holding", "input", "coil", "discrete", "int16", "uint16", "int32", "float32", "float64", "string10",
                "bool", "int17", "default", "fast", "slow", "rw", "r", "0,1", "1e3", "abcd", "ba", "\"", ";", "#"),
                Arbitraries.strings().ofMaxLength(10));
    }

    @Provide
    Arbitrary<String> table() {
        Arbitrary<String> line = cell().list().ofMaxSize(9).map(cells -> String.join(",", cells));
        return line.list().ofMaxSize(12).map(lines -> String.join("\n", lines));
    }

    @Property
    void aTagTableGivesGoodTagsAndOneErrorPerBadLine(@ForAll("table") String csv) {
        TagParser p = new TagParser(1, Set.of("default", "fast"), 125);
        try {
            p.parse(TagTable.read(csv), "etc/tags/line2.csv line ");
        } catch (RuntimeException e) {
            fail("crash on\n" + csv, e);
        }
        long lines = csv.lines().count();
        assertTrue(p.errors().size() + p.tags().size() <= Math.max(1, lines), p.errors() + " " + p.tags());
        for (String error : p.errors()) {
            assertTrue(error.startsWith("etc/tags/line2.csv") && error.matches("(?s).*line \\d+.*"), error);
        }
    }

    @Provide
    Arbitrary<Map<String, Object>> file() {
        Arbitrary<String> keys = Arbitraries.of("name", "transport", "host", "port", "serial.port", "baud", "parity",
                "data.bits", "stop.bits", "unit.id", "timeout", "retries", "reconnect.min", "reconnect.max",
                "poll.interval", "poll.groups", "max.registers", "max.coils", "max.gap", "tags", "tags.file");
        Arbitrary<Object> values = Arbitraries.oneOf(cell().map(v -> (Object) v), table().map(v -> (Object) v),
                Arbitraries.of("tcp", "rtu-over-tcp", "serial", "/dev/ttyUSB0", "fast=100,slow=oops", "even",
                        "/nope/tags.csv", "9600", "2147483648").map(v -> (Object) v),
                Arbitraries.integers().map(i -> (Object) i));
        return Arbitraries.maps(keys, values).ofMaxSize(8).map(m -> {
            Map<String, Object> file = new HashMap<>(m);
            file.putIfAbsent("tags", "speed,,,40001,int16");
            return file;
        });
    }

    @Property
    void aFileGivesAConnectionOrAnErrorNamingTheFile(@ForAll("file") Map<String, Object> file) {
        ModbusConfig config = Converters.standardConverter().convert(file).to(ModbusConfig.class);
        try {
            ModbusSettings s = ModbusSettings.read(config, FILE, null);
            assertTrue(!s.tags().isEmpty(), "a connection without tags starts nothing");
            for (String error : s.tagErrors()) {
                assertTrue(error.contains("line "), error);
            }
        } catch (InvalidConfigurationException e) {
            assertTrue(e.getMessage().startsWith(FILE + ": ") && e.getMessage().length() > FILE.length() + 8,
                    e.getMessage());
        } catch (RuntimeException e) {
            fail("crash on " + file, e);
        }
    }
}
