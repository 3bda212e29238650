package org.fogwerk.core.internal.authority;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.authority.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WritePolicyTest {

    @Test
    void withoutAFileLocalSourcesMayWriteAndRemoteSourcesMayNot() {
        WritePolicy p = WritePolicy.defaults();
        for (Source s : List.of(Source.SHELL, Source.REST, Source.ROUTE)) {
            assertTrue(p.mayWrite(s, "press01", "", "speed"), s.id());
            assertTrue(p.mayCreate(s), s.id());
            assertTrue(p.mayCall(s), s.id());
        }
        for (Source s : List.of(Source.MQTT_COMMAND, Source.AWS_LOCAL, Source.AWS_CLOUD, Source.SPARKPLUG)) {
            assertFalse(p.mayWrite(s, "press01", "", "speed"), s.id());
            assertFalse(p.mayDelete(s, "press01", ""), s.id());
            assertFalse(p.mayCreate(s), s.id());
            assertFalse(p.mayCall(s), s.id());
            assertFalse(p.mayUpdate(s), s.id());
        }
        assertFalse(p.mayUpdate(Source.ROUTE), "routes order no software updates");
        assertTrue(p.mayUpdate(Source.SHELL));
    }

    @Test
    void globsMatchThingsAndFieldsAndDenyWins() throws Exception {
        WritePolicy p = WritePolicy.parse(List.of(
                "# remote writes",
                "mqtt-command.allow = press*/setpoint*, press*/spindle.*, oven1/**",
                "mqtt-command.deny = press02/setpointMax",
                "aws-local.allow = line2/*",
                "aws-local.create = true"));
        assertTrue(p.mayWrite(Source.MQTT_COMMAND, "press01", "", "setpointA"));
        assertTrue(p.mayWrite(Source.MQTT_COMMAND, "press01", "", "spindle.speed"));
        assertFalse(p.mayWrite(Source.MQTT_COMMAND, "press01", "", "mode"), "not in any allow glob");
        assertFalse(p.mayWrite(Source.MQTT_COMMAND, "press02", "", "setpointMax"), "deny wins over allow");
        assertFalse(p.mayWrite(Source.MQTT_COMMAND, "press01", "recipes", "setpointA"),
                "* does not reach into named shadows");
        assertTrue(p.mayWrite(Source.MQTT_COMMAND, "oven1", "recipes", "zone.temp"), "** reaches everywhere");
        assertTrue(p.mayDelete(Source.AWS_LOCAL, "line2", ""));
        assertFalse(p.mayDelete(Source.MQTT_COMMAND, "press01", ""), "only some fields: no delete");
        assertTrue(p.mayCreate(Source.AWS_LOCAL));
        assertFalse(p.mayWrite(Source.SPARKPLUG, "press01", "", "setpointA"), "a source without rules is denied");
        assertTrue(p.mayWrite(Source.SHELL, "anything", "", "at.all"), "defaults stay for sources not named");
    }

    @Test
    void aDenyAloneTakesAwayOnlyWhatItNames() throws Exception {
        WritePolicy p = WritePolicy.parse(List.of("route.deny = press01/**", "mqtt-command.deny = press01/**"));
        assertFalse(p.mayWrite(Source.ROUTE, "press01", "", "speed"));
        assertTrue(p.mayWrite(Source.ROUTE, "mill01", "", "speed"), "a route keeps its default allow elsewhere");
        assertFalse(p.mayWrite(Source.MQTT_COMMAND, "mill01", "", "speed"), "a remote source has no default allow");
        assertTrue(p.describe().contains("route allow=** deny=press01/** create=true calls=true updates=false"),
                p.describe().toString());
    }

    @Test
    void aBadLineIsNamedWithItsNumberAndReason() {
        WritePolicy.PolicyException e = assertThrows(WritePolicy.PolicyException.class, () -> WritePolicy.parse(
                List.of("mqtt-command.allow = press01/*", "", "mqtt-comand.allow = press01/*")));
        assertEquals(3, e.line());
        assertTrue(e.getMessage().contains("'mqtt-comand' in key 'mqtt-comand.allow' is not a source"),
                e.getMessage());
        e = assertThrows(WritePolicy.PolicyException.class, () -> WritePolicy.parse(List.of("aws-local.create = yes")));
        assertTrue(e.getMessage().contains("aws-local.create: 'yes' is not true or false"), e.getMessage());
        e = assertThrows(WritePolicy.PolicyException.class, () -> WritePolicy.parse(List.of("sparkplug.allow = press01")));
        assertTrue(e.getMessage().contains("'press01' names no field"), e.getMessage());
        e = assertThrows(WritePolicy.PolicyException.class, () -> WritePolicy.parse(List.of("sparkplug.permit = a/b")));
        assertTrue(e.getMessage().contains("'permit' in key 'sparkplug.permit' is not allow, deny"), e.getMessage());
        e = assertThrows(WritePolicy.PolicyException.class, () -> WritePolicy.parse(List.of("just words")));
        assertEquals(1, e.line());
    }

    @Test
    void aBrokenFileKeepsTheLastGoodPolicyAndSaysWhereItBroke(@TempDir Path etc) throws Exception {
        Path file = etc.resolve("etc").resolve("org.fogwerk.security.writes.cfg");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "mqtt-command.allow = press01/*\n");
        Map<String, Object> props = Map.of("felix.fileinstall.filename", file.toUri().toString());
        WritePolicyService service = new WritePolicyService(props);
        assertTrue(service.policy().mayWrite(Source.MQTT_COMMAND, "press01", "", "speed"));
        assertEquals("", service.error());

        Files.writeString(file, "mqtt-command.allow = press01/*\nmqtt-command.allow = press02\n");
        service.modified(props);
        assertTrue(service.policy().mayWrite(Source.MQTT_COMMAND, "press01", "", "speed"), "the last good policy stays");
        assertTrue(service.error().startsWith("etc/org.fogwerk.security.writes.cfg:2: "), service.error());

        Files.writeString(file, "mqtt-command.allow = press02/*\n");
        service.modified(props);
        assertFalse(service.policy().mayWrite(Source.MQTT_COMMAND, "press01", "", "speed"));
        assertTrue(service.policy().mayWrite(Source.MQTT_COMMAND, "press02", "", "speed"));
        assertEquals("", service.error());
    }

    @Test
    void aBrokenFileAtFirstStartLeavesRemoteSourcesDenied(@TempDir Path etc) throws Exception {
        Path file = etc.resolve("org.fogwerk.security.writes.cfg");
        Files.writeString(file, "mqtt-command.allow = **\nbroken\n");
        WritePolicyService service = new WritePolicyService(Map.of("felix.fileinstall.filename", file.toUri().toString()));
        assertFalse(service.policy().mayWrite(Source.MQTT_COMMAND, "press01", "", "speed"));
        assertTrue(service.error().contains(":2: "), service.error());
    }

    @Test
    void propertiesOfTheNodeAreFilledIn() throws Exception {
        WritePolicy p = WritePolicy.parse(List.of("aws-local.allow = ${fogwerk.node}-sim-*/*"),
                name -> name.equals("fogwerk.node") ? "hall3" : null);
        assertTrue(p.mayWrite(Source.AWS_LOCAL, "hall3-sim-modbus", "", "setpoint"));
        assertFalse(p.mayWrite(Source.AWS_LOCAL, "demo-sim-modbus", "", "setpoint"));
        WritePolicy.PolicyException e = assertThrows(WritePolicy.PolicyException.class,
                () -> WritePolicy.parse(List.of("", "aws-local.allow = ${no.such}/*"), name -> null));
        assertEquals(2, e.line());
        assertEquals("${no.such} is not a property of the node", e.getMessage());
    }
}
