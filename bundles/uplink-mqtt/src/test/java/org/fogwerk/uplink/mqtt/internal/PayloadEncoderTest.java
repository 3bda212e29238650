package org.fogwerk.uplink.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.fogwerk.api.TagValue;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonFactory;

/** Every payload is a JSON object of its own, however many the encoder wrote before it. */
class PayloadEncoderTest {

    private final PayloadEncoder encoder = new PayloadEncoder(new JsonFactory(), "node-1");

    private static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Test
    void consecutivePayloadsStandAlone() {
        TagValue a = TagValue.good("press01", "temp", 21.5, 1000, 1001);
        TagValue b = TagValue.good("press01", "count", 7L, 2000, 2001);
        String first = text(encoder.single(a, "press01"));
        String second = text(encoder.single(b, "press01"));
        String batch = text(encoder.batch("press01", List.of(a, b)));
        String again = text(encoder.single(a, "press01"));

        assertEquals("{\"node\":\"node-1\",\"thing\":\"press01\",\"connection\":\"press01\",\"tag\":\"temp\","
                + "\"value\":21.5,\"quality\":\"GOOD\",\"sourceTime\":1000,\"receivedTime\":1001}", first);
        assertEquals("{\"node\":\"node-1\",\"thing\":\"press01\",\"connection\":\"press01\",\"tag\":\"count\","
                + "\"value\":7,\"quality\":\"GOOD\",\"sourceTime\":2000,\"receivedTime\":2001}", second);
        assertEquals("{\"node\":\"node-1\",\"thing\":\"press01\",\"values\":[{\"connection\":\"press01\","
                + "\"tag\":\"temp\",\"value\":21.5,\"quality\":\"GOOD\",\"sourceTime\":1000,\"receivedTime\":1001},"
                + "{\"connection\":\"press01\",\"tag\":\"count\",\"value\":7,\"quality\":\"GOOD\",\"sourceTime\":2000,"
                + "\"receivedTime\":2001}]}", batch);
        assertEquals(first, again);
    }
}
