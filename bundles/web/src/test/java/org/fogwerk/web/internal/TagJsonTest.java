package org.fogwerk.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.time.Instant;

import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

class TagJsonTest {

    private final TagJson json = new TagJson();

    @Test
    void timestampsReadAsInstantWritesThem() {
        for (long millis : new long[] {0, 1, 999, 1_000, 1_765_000_000_123L, 1_765_000_000_120L, 1_765_000_000_100L,
            1_765_000_001_005L, -1, -1_001}) {
            assertEquals(Instant.ofEpochMilli(millis).toString(), json.instant(millis), "at " + millis);
        }
    }

    @Test
    void valuesJsonCannotCarryTravelAsTextAndArraysAsArrays() throws Exception {
        assertEquals("NaN", write(TagValue.good("c", "t", Double.NaN)).get("value").asText());
        assertEquals(3, write(TagValue.good("c", "t", new long[] {1, 2, 3})).get("value").size());
        JsonNode bad = write(TagValue.of("c", "t", null, Quality.BAD, "timeout", 1_000, 2_000));
        assertEquals("BAD", bad.get("quality").asText());
        assertEquals("timeout", bad.get("qualityReason").asText());
        assertEquals("1970-01-01T00:00:02Z", bad.get("receivedTime").asText());
        assertEquals("c", bad.get("connection").asText());
    }

    private JsonNode write(TagValue v) throws Exception {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = FakeHttp.MAPPER.getFactory().createGenerator(w)) {
            json.value(g, v);
        }
        return FakeHttp.MAPPER.readTree(w.toString());
    }
}
