package org.fogwerk.shadow.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import org.fogwerk.api.ConfigurationNames;
import org.fogwerk.api.shadow.ShadowException;

import org.fogwerk.support.shadow.JsonSyntax;
import org.fogwerk.support.shadow.ShadowText;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The shadow document rules of specs/shadow.md, free of storage and threads: parsing and
 * checking requests, merging, metadata, delta, and the JSON forms the store keeps and answers.
 */
final class ShadowDocuments {

    static final String DESIRED = "desired";
    static final String REPORTED = "reported";
    static final String TIMESTAMP = "timestamp";
    private static final int MAX_THING_BYTES = 128;
    private static final int MAX_SHADOW_BYTES = 64;
    /** Numbers compare by value (1 equals 1.0); everything else by Jackson's equality. */
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private final ObjectMapper mapper;
    private final int maxStateBytes;
    private final int maxDepth;

    ShadowDocuments(int maxStateBytes, int maxDepth) {
        // A node's shadows hold thousands of different field names (one per tag of a large machine,
        // spread over many shadows), and a document is parsed every time it is written. A table of
        // names shared between parses is dropped and refilled past a few thousand names, and was copied
        // by each parse that added one: about a third of what the writer allocated at 10,000 tags.
        // Names are read as plain strings instead.
        JsonFactory json = JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build();
        this.mapper = JsonMapper.builder(json)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        this.maxStateBytes = maxStateBytes;
        this.maxDepth = maxDepth;
    }

    ObjectMapper mapper() {
        return mapper;
    }

    int maxStateBytes() {
        return maxStateBytes;
    }

    /**
     * A checked update request: {@code state} holds only {@code desired} and/or {@code reported},
     * each an object or JSON null.
     */
    record Request(ObjectNode state, Long version, String clientToken, Map<String, Map<String, Object>> annotations) {
    }

    static void checkNames(String thing, String shadow, String clientToken) throws ShadowException {
        checkName("thing name", thing, MAX_THING_BYTES, clientToken);
        if (shadow != null && !shadow.isEmpty()) {
            checkName("shadow name", shadow, MAX_SHADOW_BYTES, clientToken);
        }
    }

    private static void checkName(String what, String name, int max, String clientToken) throws ShadowException {
        if (name == null || name.isEmpty()) {
            throw new ShadowException(400, what + ": must not be empty", clientToken);
        }
        if (name.length() > max) {
            throw new ShadowException(400, what + ": " + name.length() + " bytes, longer than " + max, clientToken);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!ConfigurationNames.isNameCharacter(c)) {
                throw new ShadowException(400, what + " '" + name + "': character '" + c + "' at position " + i
                        + " is not allowed (only a-z A-Z 0-9 : _ -)", clientToken);
            }
        }
    }

    /** Parses and checks a JSON update request (everything that does not need the stored shadow). */
    Request parse(byte[] json) throws ShadowException {
        if (json == null || json.length == 0) {
            throw new ShadowException(400, "Invalid JSON: the request is empty, a JSON object with \"state\" is needed", null);
        }
        String text = ShadowText.utf8(json);
        JsonNode root;
        try {
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ShadowException(400, "Invalid JSON: " + JsonSyntax.describe(e), null);
        }
        if (root == null || !root.isObject()) {
            throw new ShadowException(400, "Invalid JSON: the request must be a JSON object", null);
        }
        String clientToken = null;
        JsonNode token = root.get("clientToken");
        if (token != null && !token.isNull()) {
            if (!token.isTextual()) {
                throw new ShadowException(400, "Invalid clientToken: must be a string", null);
            }
            clientToken = token.textValue();
            ShadowText.checkClientToken(clientToken);
        }
        Long version = null;
        JsonNode v = root.get("version");
        if (v != null && !v.isNull()) {
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                throw new ShadowException(400, "Invalid version: must be a whole number of at least 0, not " + v, clientToken);
            }
            version = v.longValue();
        }
        JsonNode state = root.get("state");
        if (state == null) {
            throw new ShadowException(400, "Missing required node: state", clientToken);
        }
        if (!state.isObject()) {
            throw new ShadowException(400, "State node must be an object", clientToken);
        }
        ObjectNode checked = checkState((ObjectNode) state, clientToken);
        return new Request(checked, version, clientToken, Map.of());
    }

    /** Builds a request from the object form. */
    Request fromObjects(Map<String, Object> desired, Map<String, Object> reported, Long version, String clientToken,
            Map<String, Map<String, Object>> annotations) throws ShadowException {
        return fromObjects(desired, reported, false, false, version, clientToken, annotations);
    }

    /** Builds a request from the object form; a removed section is sent as JSON null. */
    Request fromObjects(Map<String, Object> desired, Map<String, Object> reported, boolean removeDesired,
            boolean removeReported, Long version, String clientToken, Map<String, Map<String, Object>> annotations)
            throws ShadowException {
        if (clientToken != null) {
            ShadowText.checkClientToken(clientToken);
        }
        if (version != null && version < 0) {
            throw new ShadowException(400, "Invalid version: must be at least 0, not " + version, clientToken);
        }
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        try {
            if (desired != null) {
                state.set(DESIRED, JsonTrees.of(mapper, desired));
            }
            if (reported != null) {
                state.set(REPORTED, JsonTrees.of(mapper, reported));
            }
            if (removeDesired) {
                state.putNull(DESIRED);
            }
            if (removeReported) {
                state.putNull(REPORTED);
            }
        } catch (IllegalArgumentException e) {
            throw new ShadowException(400, "state: a value cannot be written as JSON: " + e.getMessage(), clientToken);
        }
        for (Map.Entry<String, Map<String, Object>> a : annotations.entrySet()) {
            String path = a.getKey();
            if (path == null || !(path.startsWith(DESIRED + ".") || path.startsWith(REPORTED + "."))
                    || path.endsWith(".") || path.contains("..")) {
                throw new ShadowException(400, "annotations: key '" + path
                        + "' must be a dotted path starting with desired. or reported.", clientToken);
            }
            if (a.getValue() != null && a.getValue().containsKey(TIMESTAMP)) {
                throw new ShadowException(400, "annotations: " + path + ": 'timestamp' is kept by the store",
                        clientToken);
            }
        }
        return new Request(checkState(state, clientToken), version, clientToken, annotations);
    }

    private ObjectNode checkState(ObjectNode state, String clientToken) throws ShadowException {
        Iterator<Map.Entry<String, JsonNode>> fields = state.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            String name = f.getKey();
            JsonNode section = f.getValue();
            if (!DESIRED.equals(name) && !REPORTED.equals(name)) {
                throw new ShadowException(400, "State contains an invalid node: '" + name + "' (only desired and reported are allowed)",
                        clientToken);
            }
            if (!section.isObject() && !section.isNull()) {
                throw new ShadowException(400, (DESIRED.equals(name) ? "Desired" : "Reported") + " node must be an object or null", clientToken);
            }
            if (section.isObject()) {
                checkDepth(section, 0, new StringBuilder("state.").append(name), clientToken);
            }
        }
        int size = jsonSize(state);
        if (size > maxStateBytes) {
            throw new ShadowException(413, "The payload exceeds the maximum size allowed: state is " + size + " bytes, the limit is "
                    + maxStateBytes + " bytes", clientToken);
        }
        return state;
    }

    private void checkDepth(JsonNode node, int depth, StringBuilder path, String clientToken) throws ShadowException {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                int mark = path.length();
                path.append('.').append(e.getKey());
                checkChild(e.getValue(), depth + 1, path, clientToken);
                path.setLength(mark);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                int mark = path.length();
                path.append('[').append(i).append(']');
                checkChild(node.get(i), depth + 1, path, clientToken);
                path.setLength(mark);
            }
        }
    }

    private void checkChild(JsonNode child, int depth, StringBuilder path, String clientToken)
            throws ShadowException {
        if (depth > maxDepth) {
            throw new ShadowException(400, "JSON contains too many levels of nesting; maximum is " + maxDepth + " (at " + path + ")", clientToken);
        }
        if (child.isFloatingPointNumber() && !Double.isFinite(child.doubleValue()) && !child.isBigDecimal()) {
            throw new ShadowException(400, "Number out of range at " + path + ": " + child.asText()
                    + " (a value must be a finite number)", clientToken);
        }
        checkDepth(child, depth, path, clientToken);
    }

    /** Bytes of {@code node} written as JSON, counted as they are written rather than kept. */
    int jsonSize(JsonNode node) {
        ByteCount count = new ByteCount();
        try {
            mapper.writeValue(count, node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return count.bytes;
    }

    // ---------------------------------------------------------------- applying an update

    /** The result of one accepted update. */
    record Applied(StoredShadow shadow, ObjectNode answerMetadata) {
    }

    /**
     * Applies a checked request to the current shadow ({@code null} for none) and returns the new
     * one; {@code current} is left as it was.
     *
     * <p>The new shadow shares with the current one every object the update does not change: an
     * object on the way to a changed field is copied (its own entries only, not what they hold)
     * before it changes. A machine's reported update, which replaces most fields of its shadow
     * every report interval, then costs what it changes rather than copies of the whole document.
     */
    Applied apply(StoredShadow current, Request request, long newVersion, long now) throws ShadowException {
        Copies copies = new Copies();
        // a section the update does not send is shared whole; one it sends is copied as it is merged
        ObjectNode desired = current == null ? null : current.desired();
        ObjectNode reported = current == null ? null : current.reported();
        ObjectNode metadata = current == null ? copies.created() : copies.of(current.metadata());
        ObjectNode answerMetadata = JsonNodeFactory.instance.objectNode();

        JsonNode sentDesired = request.state().get(DESIRED);
        if (sentDesired != null) {
            desired = mergeSection(copies, copies.of(desired), sentDesired, metadata, DESIRED, now);
            answerMetadata.set(DESIRED, mirror(sentDesired, now));
        }
        JsonNode sentReported = request.state().get(REPORTED);
        if (sentReported != null) {
            reported = mergeSection(copies, copies.of(reported), sentReported, metadata, REPORTED, now);
            answerMetadata.set(REPORTED, mirror(sentReported, now));
        }
        for (Map.Entry<String, Map<String, Object>> a : request.annotations().entrySet()) {
            annotate(copies, metadata, a.getKey(), a.getValue(), request.clientToken());
            annotate(null, answerMetadata, a.getKey(), a.getValue(), request.clientToken());
        }
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        if (desired != null) {
            state.set(DESIRED, desired);
        }
        if (reported != null) {
            state.set(REPORTED, reported);
        }
        int size = jsonSize(state);
        if (size > maxStateBytes) {
            throw new ShadowException(413, "The payload exceeds the maximum size allowed: state would be " + size
                    + " bytes after this update, the limit is " + maxStateBytes + " bytes", request.clientToken());
        }
        StoredShadow next = new StoredShadow(desired, reported, metadata, delta(desired, reported), newVersion, now);
        return new Applied(next, answerMetadata);
    }

    private ObjectNode mergeSection(Copies copies, ObjectNode target, JsonNode patch, ObjectNode metadata,
            String section, long now) {
        if (patch.isNull()) {
            metadata.remove(section);
            return null;
        }
        ObjectNode result = target == null ? copies.created() : target;
        merge(copies, result, (ObjectNode) patch, copies.child(metadata, section), now);
        return result;
    }

    /** Objects merge recursively, null removes, scalars and arrays replace whole. */
    private static void merge(Copies copies, ObjectNode target, ObjectNode patch, ObjectNode meta, long now) {
        Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (value.isNull()) {
                target.remove(key);
                meta.remove(key);
            } else if (value.isObject()) {
                boolean wasObject = target.get(key) instanceof ObjectNode;
                ObjectNode child = copies.child(target, key);
                ObjectNode childMeta = wasObject ? copies.child(meta, key) : copies.created(meta, key);
                merge(copies, child, (ObjectNode) value, childMeta, now);
            } else {
                target.set(key, value.deepCopy());
                meta.set(key, leafMeta(copies, now));
            }
        }
    }

    private static ObjectNode leafMeta(long now) {
        ObjectNode leaf = JsonNodeFactory.instance.objectNode();
        leaf.put(TIMESTAMP, now);
        return leaf;
    }

    private static ObjectNode leafMeta(Copies copies, long now) {
        ObjectNode leaf = copies.created();
        leaf.put(TIMESTAMP, now);
        return leaf;
    }

    /** Metadata for what was sent: a timestamp on every leaf, null fields included. */
    private static JsonNode mirror(JsonNode sent, long now) {
        if (sent.isObject()) {
            ObjectNode m = JsonNodeFactory.instance.objectNode();
            sent.fields().forEachRemaining(e -> m.set(e.getKey(), mirror(e.getValue(), now)));
            return m;
        }
        return leafMeta(now);
    }

    /**
     * Merges annotation attributes beside a leaf's timestamp; a path that is not a field is skipped.
     * With {@code copies}, the objects on the way may be shared with the shadow before this update
     * and are copied first; without, {@code metadata} is this update's own.
     */
    private void annotate(Copies copies, ObjectNode metadata, String path, Map<String, Object> attributes,
            String clientToken) throws ShadowException {
        String[] parts = path.split("\\.");
        JsonNode node = metadata;
        for (String part : parts) {
            node = node == null ? null : node.get(part);
        }
        if (!(node instanceof ObjectNode found) || !found.has(TIMESTAMP) || !found.get(TIMESTAMP).isNumber()) {
            return;
        }
        if (attributes == null) {
            return;
        }
        ObjectNode leaf = copies == null ? found : metadata;
        for (int i = 0; copies != null && i < parts.length; i++) {
            leaf = copies.child(leaf, parts[i]);
        }
        for (Map.Entry<String, Object> a : attributes.entrySet()) {
            if (a.getValue() == null) {
                leaf.remove(a.getKey());
            } else {
                try {
                    leaf.set(a.getKey(), JsonTrees.of(mapper, a.getValue()));
                } catch (IllegalArgumentException e) {
                    throw new ShadowException(400, "annotations: " + path + "." + a.getKey()
                            + ": cannot be written as JSON", clientToken);
                }
            }
        }
    }

    /** Desired fields that differ from reported, recursively through objects. */
    static ObjectNode delta(ObjectNode desired, ObjectNode reported) {
        ObjectNode delta = JsonNodeFactory.instance.objectNode();
        if (desired == null) {
            return delta;
        }
        Iterator<Map.Entry<String, JsonNode>> it = desired.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode want = e.getValue();
            JsonNode have = reported == null ? null : reported.get(e.getKey());
            if (have == null) {
                delta.set(e.getKey(), want);
            } else if (want.isObject() && have.isObject()) {
                ObjectNode inner = delta((ObjectNode) want, (ObjectNode) have);
                if (!inner.isEmpty()) {
                    delta.set(e.getKey(), inner);
                }
            } else if (!want.equals(BY_VALUE, have)) {
                delta.set(e.getKey(), want);
            }
        }
        return delta;
    }

    // ---------------------------------------------------------------- stored and answered forms

    /**
     * First byte of a stored shadow with a checksum: a CRC32C of the JSON follows (4 bytes), then
     * the JSON. MVStore checks its pages, not the bytes of a value; with the checksum a byte that
     * changed on disk makes the shadow unreadable (and the store takes it back from its snapshot)
     * instead of being read as it now is. Shadows stored before start with the JSON's own
     * {@code '{'} and are read as they are.
     */
    private static final byte CHECKSUMMED = 1;
    private static final int CHECKSUM_HEADER = 5;

    byte[] toStoredBytes(StoredShadow s) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode state = root.putObject("state");
        if (s.desired() != null) {
            state.set(DESIRED, s.desired());
        }
        if (s.reported() != null) {
            state.set(REPORTED, s.reported());
        }
        root.set("metadata", s.metadata());
        root.put("version", s.version());
        root.put(TIMESTAMP, s.timestamp());
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        byte[] stored = new byte[CHECKSUM_HEADER + json.length];
        stored[0] = CHECKSUMMED;
        ByteBuffer.wrap(stored).putInt(1, crc(json, 0, json.length));
        System.arraycopy(json, 0, stored, CHECKSUM_HEADER, json.length);
        return stored;
    }

    private static int crc(byte[] b, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(b, offset, length);
        return (int) crc.getValue();
    }

    StoredShadow fromStoredBytes(byte[] bytes) throws IOException {
        JsonNode root;
        if (bytes.length > 0 && bytes[0] == CHECKSUMMED) {
            if (bytes.length < CHECKSUM_HEADER || ByteBuffer.wrap(bytes).getInt(1)
                    != crc(bytes, CHECKSUM_HEADER, bytes.length - CHECKSUM_HEADER)) {
                throw new IOException("stored shadow does not match its checksum: its bytes changed on disk");
            }
            root = mapper.readTree(bytes, CHECKSUM_HEADER, bytes.length - CHECKSUM_HEADER);
        } else {
            root = mapper.readTree(bytes);
        }
        JsonNode state = root.get("state");
        JsonNode d = state == null ? null : state.get(DESIRED);
        JsonNode r = state == null ? null : state.get(REPORTED);
        ObjectNode desired = d instanceof ObjectNode o ? o : null;
        ObjectNode reported = r instanceof ObjectNode o ? o : null;
        JsonNode m = root.get("metadata");
        ObjectNode metadata = m instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        JsonNode version = root.get("version");
        JsonNode ts = root.get(TIMESTAMP);
        if (version == null || !version.canConvertToLong() || ts == null) {
            throw new IOException("stored shadow without version or timestamp");
        }
        return new StoredShadow(desired, reported, metadata, delta(desired, reported), version.longValue(),
                ts.longValue());
    }

    /** The update-accepted answer: what was sent, its metadata, version, timestamp, clientToken. */
    byte[] acceptedAnswer(Request request, Applied applied) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("state", request.state());
        root.set("metadata", applied.answerMetadata());
        root.put("version", applied.shadow().version());
        root.put(TIMESTAMP, applied.shadow().timestamp());
        if (request.clientToken() != null) {
            root.put("clientToken", request.clientToken());
        }
        try {
            return mapper.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A JSON tree as plain Java values, the same however the document was built: whole numbers
     * as {@link Long} (or {@link java.math.BigInteger}), others as {@link Double} (or
     * {@link java.math.BigDecimal}).
     */
    static Map<String, Object> toMap(JsonNode node) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (node != null) {
            node.fields().forEachRemaining(e -> map.put(e.getKey(), toJava(e.getValue())));
        }
        return map;
    }

    private static Object toJava(JsonNode node) {
        switch (node.getNodeType()) {
            case OBJECT:
                return toMap(node);
            case ARRAY:
                List<Object> list = new ArrayList<>(node.size());
                node.forEach(n -> list.add(toJava(n)));
                return list;
            case NUMBER:
                if (node.isIntegralNumber()) {
                    return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
                }
                return node.isBigDecimal() ? node.decimalValue() : (Object) node.doubleValue();
            case BOOLEAN:
                return node.booleanValue();
            case STRING:
                return node.textValue();
            case BINARY:
                return node.asText();
            default:
                return null;
        }
    }


}
