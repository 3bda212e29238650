package org.fogwerk.uplink.mqtt.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.shadow.ShadowUpdate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Desired state only, one level deep: enough to see commands arrive. */
final class InMemoryShadowStore implements ShadowStore {

    final Map<String, ObjectNode> desired = new ConcurrentHashMap<>();
    final Map<String, Long> versions = new ConcurrentHashMap<>();

    @Override
    public byte[] update(String thing, String shadow, byte[] requestJson) throws ShadowException {
        JsonNode req;
        try {
            req = TestSupport.MAPPER.readTree(requestJson);
        } catch (IOException e) {
            throw new ShadowException(400, "Payload contains invalid json", null);
        }
        String token = req.hasNonNull("clientToken") ? req.get("clientToken").asText() : null;
        JsonNode state = req.get("state");
        if (state == null || !state.isObject()) {
            throw new ShadowException(400, "Missing required node: state", token);
        }
        if (req.has("version") && req.get("version").asLong() != versions.getOrDefault(thing, 0L)) {
            throw new ShadowException(409, "Version conflict", token);
        }
        ObjectNode d = desired.computeIfAbsent(thing, t -> TestSupport.MAPPER.createObjectNode());
        if (state.has("desired")) {
            d.setAll((ObjectNode) state.get("desired"));
        }
        long version = versions.merge(thing, 1L, Long::sum);
        ObjectNode answer = TestSupport.MAPPER.createObjectNode();
        answer.set("state", state);
        answer.put("version", version);
        if (token != null) {
            answer.put("clientToken", token);
        }
        return answer.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public ShadowDocument get(String thing, String shadow) throws ShadowException {
        throw new ShadowException(404, "No shadow exists with name: '" + thing + "'", null);
    }

    @Override
    public ShadowDocument update(String thing, String shadow, ShadowUpdate update) throws ShadowException {
        throw new UnsupportedOperationException();
    }

    @Override
    public void delete(String thing, String shadow, Long expectedVersion) {
        desired.remove(thing);
    }

    @Override
    public Set<String> things() {
        return desired.keySet();
    }

    @Override
    public List<String> shadows(String thing) {
        return new ArrayList<>(List.of(CLASSIC));
    }
}
