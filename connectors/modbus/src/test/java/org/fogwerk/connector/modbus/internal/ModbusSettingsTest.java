package org.fogwerk.connector.modbus.internal;

import static org.fogwerk.connector.modbus.internal.TestConfigs.config;
import static org.fogwerk.connector.modbus.internal.TestConfigs.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.Access;
import org.fogwerk.api.DataType;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.support.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModbusSettingsTest {

    private static final String FILE = "/etc/org.fogwerk.connector.modbus-test.cfg";

    @Test
    void defaultsAndIdFromFileName() throws Exception {
        ModbusSettings s = settings("tags", "t1, , holding, 0, int16");
        assertEquals("test", s.id());
        assertEquals(ModbusSettings.Transport.TCP, s.transport());
        assertEquals("127.0.0.1", s.host());
        assertEquals(502, s.port());
        assertEquals(1, s.unitId());
        assertEquals(1000, s.timeout());
        assertEquals(0, s.retries());
        assertEquals(1000L, s.reconnectMin());
        assertEquals(30000L, s.reconnectMax());
        assertEquals(Map.of("default", 1000L), s.groups());
        assertEquals(125, s.maxRegisters());
        assertEquals(2000, s.maxCoils());
        assertEquals(10, s.maxGap());
        TagSpec t = s.tags().get(0);
        assertEquals(1, t.unitId());
        assertEquals(Area.HOLDING, t.area());
        assertEquals(WordOrder.ABCD, t.order());
        assertEquals(Access.READ, t.access());
        assertEquals("default", t.group());
        assertEquals("press", ModbusSettings.connectionId("", "file:/opt/etc/org.fogwerk.connector.modbus-press.cfg"));
        assertEquals("line-2", ModbusSettings.connectionId(null, "org.fogwerk.connector.modbus-line-2.cfg"));
        assertEquals("named", ModbusSettings.connectionId("named", "org.fogwerk.connector.modbus-x.cfg"));
        assertNull(ModbusSettings.connectionId(null, null));
    }

    @Test
    void everyColumnAndPollGroups() throws Exception {
        ModbusSettings s = settings("poll.groups", "fast=100, slow=5000", "poll.interval", 500, "unit.id", 3,
                "tags", "temp, 7, input, 10, float32, CDAB, 0.1, -5, 0.5, r, , , fast, °C;"
                        + "sp, , holding, 2, uint16, , 0.1, 0, , rw, 0, 100, slow, bar\n"
                        + "# a comment\n"
                        + "flag, , holding, 4, bit(3), , , , , rw");
        assertEquals(Map.of("default", 500L, "fast", 100L, "slow", 5000L), s.groups());
        assertEquals(3, s.tags().size(), s.tagErrors().toString());
        TagSpec temp = s.tags().get(0);
        assertEquals(7, temp.unitId());
        assertEquals(Area.INPUT, temp.area());
        assertEquals(10, temp.address());
        assertEquals(WordOrder.CDAB, temp.order());
        assertEquals(0.1, temp.scaling().scale());
        assertEquals(-5.0, temp.scaling().offset());
        assertEquals(0.5, temp.deadband());
        assertEquals("fast", temp.group());
        TagDefinition d = temp.definition();
        assertEquals(DataType.DOUBLE, d.dataType());
        assertEquals("°C", d.unit());
        assertEquals("7/input/10", d.address());
        assertEquals("CDAB", d.attributes().get("order"));
        TagSpec sp = s.tags().get(1);
        assertEquals(3, sp.unitId());
        assertEquals(Access.READ_WRITE, sp.access());
        assertEquals(100.0, sp.max());
        assertEquals(123L, sp.toRaw(12.3));
        assertEquals(12.3, (Double) sp.toEngineering(123L), 1e-9);
        assertEquals(DataType.BOOLEAN, s.tags().get(2).definition().dataType());
    }

    @Test
    void classicNotation() throws Exception {
        ModbusSettings s = settings("tags", "c,,,00001,bool; d,,,10002,bool; i,,,30003,int16; h,,,40001,int16;"
                + "h6,,,465536,int16; h0,,holding,40001,int16");
        List<TagSpec> t = s.tags();
        assertEquals(List.of(), s.tagErrors());
        assertEquals(Area.COIL, t.get(0).area());
        assertEquals(0, t.get(0).address());
        assertEquals(Area.DISCRETE_INPUT, t.get(1).area());
        assertEquals(1, t.get(1).address());
        assertEquals(Area.INPUT, t.get(2).area());
        assertEquals(2, t.get(2).address());
        assertEquals(Area.HOLDING, t.get(3).area());
        assertEquals(0, t.get(3).address());
        assertEquals(65535, t.get(4).address());
        assertEquals(40001, t.get(5).address()); // with an area the address is 0-based
    }

    @Test
    void badKeysNameFileKeyAndReason() {
        assertBad("max.registers = 126 is invalid", "max.registers", 126, "tags", "a,,holding,0,int16");
        assertBad("transport = udp is invalid", "transport", "udp", "tags", "a,,holding,0,int16");
        assertBad("port is invalid: 'abc' is not a whole number", "port", "abc", "tags", "a,,holding,0,int16");
        assertBad("poll.groups = fast is invalid", "poll.groups", "fast", "tags", "a,,holding,0,int16");
        assertBad("reconnect.max = 100 is invalid", "reconnect.min", 500, "reconnect.max", 100, "tags",
                "a,,holding,0,int16");
        assertBad("serial.port =  is invalid", "transport", "serial", "tags", "a,,holding,0,int16");
        assertBad("no tags", "host", "plc");
        assertBad("tags.file = nowhere.csv is invalid", "tags.file", "nowhere.csv");
    }

    private static void assertBad(String expected, Object... kv) {
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> settings(kv));
        assertTrue(e.getMessage().startsWith(FILE + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void anEmptyTagFileIsNamedAsSuch(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("empty.csv"), "# nothing yet\n");
        assertBad("no tags: tags.file " + csv + " holds no tag line", "tags.file", csv.toString());
    }

    @Test
    void aLineSavedInAnotherCodePageIsLeftOutByNameAndTheOtherTagsWork(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("tags.csv");
        byte[] good = "speed,,holding,0,int16\n".getBytes(StandardCharsets.UTF_8);
        byte[] bad = "caf\u00e9Tag,,input,50,int16\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] more = "temp,,input,1,int16\n".getBytes(StandardCharsets.UTF_8);
        Files.write(csv, java.nio.ByteBuffer.allocate(good.length + bad.length + more.length).put(good).put(bad)
                .put(more).array());
        ModbusSettings s = settings("tags.file", csv.toString());
        assertEquals(List.of("speed", "temp"), s.tags().stream().map(TagSpec::name).toList());
        assertEquals(List.of(csv + ": line 2: not UTF-8 text at column 4 (save the file as UTF-8, in Excel \"CSV UTF-8\");"
                + " the line is left out"), s.tagErrors());
    }

    @Test
    void badCsvLinesAreReportedWithLineAndColumnAndTheRestWorks(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("tags.csv");
        Files.write(csv, List.of(
                "name,unit id,area,address,type,order,scale,offset,deadband,access,min,max,group,unit",
                "# input registers",
                "good1,,input,0,int16",
                "badType,,input,1,flaot",
                "",
                "badArea,,inputs2,1,int16",
                "good2,,holding,0,float32,CDAB,,,,rw,-10,10",
                "roCoilWrite,,discrete-input,0,bool,,,,,rw",
                "good1,,input,5,int16",
                "badGroup,,input,1,int16,,,,,,,,nogroup",
                "coilInt,,coil,0,int16",
                "badAddr,,,50001,int16"), StandardCharsets.UTF_8);
        ModbusSettings s = settings("tags.file", csv.toString());
        assertEquals(List.of("good1", "good2"), s.tags().stream().map(TagSpec::name).toList());
        List<String> errors = s.tagErrors();
        assertEquals(7, errors.size(), errors.toString());
        assertEquals(csv + " line 4, column 5 (type): 'flaot' is not a data type (use bool, int16, uint16, int32,"
                + " uint32, int64, uint64, float32, float64, string(n) or bit(n))", errors.get(0));
        assertTrue(errors.get(1).startsWith(csv + " line 6, column 3 (area)"), errors.get(1));
        assertTrue(errors.get(2).startsWith(csv + " line 8, column 10 (access)"), errors.get(2));
        assertTrue(errors.get(3).startsWith(csv + " line 9, column 1 (name): tag good1 is defined twice"),
                errors.get(3));
        assertTrue(errors.get(4).startsWith(csv + " line 10, column 13 (group)"), errors.get(4));
        assertTrue(errors.get(5).startsWith(csv + " line 11, column 5 (type)"), errors.get(5));
        assertTrue(errors.get(6).startsWith(csv + " line 12, column 4 (address)"), errors.get(6));

        ModbusConnection c = ModbusConnectorComponent.create(config("tags.file", csv.toString()),
                Map.of("felix.fileinstall.filename", "file:" + FILE), new RecordingSink());
        assertEquals("test", c.id());
        assertEquals(2, c.tags().size());
        assertTrue(c.status().reason().contains("7 bad tag line(s)"), c.status().reason());
    }

    @Test
    void aBadFileGivesAFailedConnection() {
        ModbusConnection c = ModbusConnectorComponent.create(config("max.gap", -1, "tags", "a,,input,0,int16"),
                Map.of("felix.fileinstall.filename", "file:" + FILE), new RecordingSink());
        assertEquals(ConnectorState.FAILED, c.status().state());
        assertEquals(FILE + ": max.gap = -1 is invalid: must be between 0 and 124", c.status().reason());
        assertEquals("test", c.id());
        assertTrue(c.tags().isEmpty());
        c.start();
        c.stop();
    }

    @Test
    void aFileOfBinaryGarbageGivesAFailedConnectionNamingTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("org.fogwerk.connector.modbus-junk.cfg"),
                new byte[] {'h', 'o', 's', 't', '=', 0, (byte) 0xff, '\n'});
        ModbusConnection c = ModbusConnectorComponent.create(config("host", "127.0.0.1", "tags", "a,,input,0,int16"),
                Map.of("felix.fileinstall.filename", file.toUri().toString()), new RecordingSink());
        assertEquals(ConnectorState.FAILED, c.status().state());
        assertTrue(c.status().reason().startsWith(file + ": not a text file"), c.status().reason());
        assertTrue(c.tags().isEmpty());
    }
}
