package org.fogwerk.connector.opcua.internal;

import static org.fogwerk.connector.opcua.internal.TestSupport.config;
import static org.fogwerk.testing.Configs.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.fogwerk.api.Access;
import org.fogwerk.support.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpcUaSettingsTest {

    private static final String FILE = "/opt/fogwerk/etc/org.fogwerk.connector.opcua-press01.cfg";

    @TempDir
    Path dir;

    private static OpcUaSettings read(Object... kv) throws InvalidConfigurationException {
        Map<String, Object> m = map(kv);
        m.putIfAbsent("endpoint.url", "opc.tcp://127.0.0.1:4840/fogwerk");
        m.putIfAbsent("felix.fileinstall.filename", FILE);
        return OpcUaSettings.read(config(m), m);
    }

    private static String error(Object... kv) {
        return assertThrows(InvalidConfigurationException.class, () -> read(kv)).getMessage();
    }

    @Test
    void defaultsAndIdFromFileName() throws Exception {
        OpcUaSettings s = read("tags", "temp=ns=2;s=Temp\npress=nsu=urn:x;s=Press");
        assertEquals("press01", s.id());
        assertEquals(SecurityPolicy.None, s.securityPolicy());
        assertEquals(MessageSecurityMode.None, s.securityMode());
        assertEquals(1000.0, s.publishingInterval());
        assertEquals(500.0, s.samplingInterval());
        assertEquals(0, s.queueSize(), "sized for freshness");
        assertEquals(2, s.queueSizeFor(500), "the two samples of one publishing interval");
        assertEquals(1, s.queueSizeFor(1000));
        assertEquals(1, s.queueSizeFor(-1), "sampled at the publishing interval");
        assertEquals(1, s.queueSizeFor(0), "as fast as the server can: the newest only");
        assertEquals(10, s.queueSizeFor(100));
        assertEquals(1000, s.reconnectMin());
        assertEquals(30000, s.reconnectMax());
        assertEquals(List.of("temp", "press"), s.tags().stream().map(OpcUaTag::name).toList());
        assertEquals("ns=2;s=Temp", s.tags().get(0).nodeId());
        assertEquals("nsu=urn:x;s=Press", s.tags().get(1).nodeId());
    }

    @Test
    void inlineTagsSeparatedBySemicolons() throws Exception {
        OpcUaSettings s = read("tags", "a=ns=2;s=A; b=i=2258 ;c=nsu=urn:fogwerk:simulator;s=C");
        assertEquals(List.of("ns=2;s=A", "i=2258", "nsu=urn:fogwerk:simulator;s=C"),
                s.tags().stream().map(OpcUaTag::nodeId).toList());
    }

    @Test
    void idFromNameKeyWins() throws Exception {
        assertEquals("line2", read("name", "line2", "tags", "a=i=2258").id());
    }

    @Test
    void inconsistentSecurityIsRejectedNamingTheKey() {
        String e = error("security.policy", "Basic256Sha256", "security.mode", "None", "tags", "a=i=2258");
        assertTrue(e.contains("org.fogwerk.connector.opcua-press01.cfg"), e);
        assertTrue(e.contains("security.mode"), e);
        assertTrue(error("security.policy", "None", "security.mode", "SignAndEncrypt", "tags", "a=i=2258")
                .contains("security.mode"));
        assertTrue(error("security.policy", "Basic128Rsa15", "tags", "a=i=2258").contains("security.policy"));
        OpcUaSettings ok = assertDoesNotThrow("security.policy", "Aes256_Sha256_RsaPss", "security.mode",
                "SignAndEncrypt");
        assertEquals(SecurityPolicy.Aes256_Sha256_RsaPss, ok.securityPolicy());
    }

    private static OpcUaSettings assertDoesNotThrow(Object... kv) {
        Object[] all = java.util.Arrays.copyOf(kv, kv.length + 2);
        all[kv.length] = "tags";
        all[kv.length + 1] = "a=i=2258";
        try {
            return read(all);
        } catch (InvalidConfigurationException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void badNumbersAndEnumsNameTheKey() {
        assertTrue(error("publishing.interval", "fast", "tags", "a=i=2258").contains("publishing.interval = 'fast'"));
        assertTrue(error("queue.size", "-1", "tags", "a=i=2258").contains("queue.size"));
        assertTrue(error("deadband.type", "relative", "tags", "a=i=2258").contains("deadband.type"));
        assertTrue(error("deadband.type", "percent", "deadband.value", "150", "tags", "a=i=2258")
                .contains("deadband.value"));
        assertTrue(error("reconnect.min", "5000", "reconnect.max", "1000", "tags", "a=i=2258")
                .contains("reconnect.max"));
        assertTrue(error("auth", "kerberos", "tags", "a=i=2258").contains("auth"));
        assertTrue(error("auth", "username", "tags", "a=i=2258").contains("username"));
        assertTrue(error("auth", "x509", "tags", "a=i=2258").contains("auth"));
        assertTrue(error("endpoint.url", "http://x", "tags", "a=i=2258").contains("endpoint.url"));
        assertTrue(error("tags", "").contains("no tags configured"));
        assertTrue(error("tags.file", dir.resolve("missing.csv").toString()).contains("tags.file"));
    }

    @Test
    void csvBadLinesAreNamedAndGoodLinesKept() throws Exception {
        Path csv = dir.resolve("press01.csv");
        Files.writeString(csv, String.join("\n",
                "name,nodeId,samplingInterval,deadband,access,min,max,unit,description",
                "# a comment",
                "temp,nsu=urn:fogwerk:simulator;s=sineDouble06,250,0.5,r,,,degC,\"Oil temperature, sump\"",
                "speed,ns=2;s=Speed,,,rw,0,3000,rpm,",
                "broken,not a node id",
                "fast,ns=2;s=Fast,soon",
                "wrong,ns=2;s=W,,,write",
                "limits,ns=2;s=L,,,rw,10,5",
                "temp,ns=2;s=Dup",
                ""));
        OpcUaSettings s = read("tags.file", csv.toString());
        assertEquals(List.of("temp", "speed"), s.tags().stream().map(OpcUaTag::name).toList());
        OpcUaTag temp = s.tags().get(0);
        assertEquals(250.0, temp.samplingInterval());
        assertEquals(0.5, temp.deadband());
        assertEquals("degC", temp.definition().unit());
        assertEquals("Oil temperature, sump", temp.definition().description());
        OpcUaTag speed = s.tags().get(1);
        assertEquals(Access.READ_WRITE, speed.definition().access());
        assertEquals(3000.0, speed.definition().max());
        List<String> errors = s.tagErrors();
        assertEquals(5, errors.size(), errors.toString());
        assertTrue(errors.get(0).contains(csv + " line 5 column 2 (nodeId)"), errors.get(0));
        assertTrue(errors.get(1).contains("line 6 column 3 (samplingInterval)"), errors.get(1));
        assertTrue(errors.get(2).contains("line 7 column 5 (access)"), errors.get(2));
        assertTrue(errors.get(3).contains("line 8 column 6 (min)"), errors.get(3));
        assertTrue(errors.get(4).contains("line 9") && errors.get(4).contains("used twice"), errors.get(4));
    }

    @Test
    void onlyBadLinesFailsNamingTheLines() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "x,nope\n");
        String e = error("tags.file", csv.toString());
        assertTrue(e.contains("line 1 column 2 (nodeId)"), e);
    }

    @Test
    void aFileOfBinaryGarbageIsRefusedNamingTheFile() throws Exception {
        Path file = Files.write(dir.resolve("org.fogwerk.connector.opcua-junk.cfg"),
                new byte[] {'e', 'n', 'd', (byte) 0xC3, (byte) 0x28, 0, '\n'});
        String e = error("felix.fileinstall.filename", file.toUri().toString());
        assertTrue(e.startsWith(file + ": not a text file"), e);
    }
}
