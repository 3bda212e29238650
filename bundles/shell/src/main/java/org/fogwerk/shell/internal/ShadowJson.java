package org.fogwerk.shell.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** Shadow documents as people read them: pretty-printed JSON in the shape of the AWS IoT service. */
final class ShadowJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ShadowJson() {
    }

    static String document(ShadowDocument doc) {
        Map<String, Object> state = new LinkedHashMap<>();
        if (!doc.desired().isEmpty()) {
            state.put("desired", doc.desired());
        }
        if (!doc.reported().isEmpty()) {
            state.put("reported", doc.reported());
        }
        if (!doc.delta().isEmpty()) {
            state.put("delta", doc.delta());
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("state", state);
        root.put("metadata", doc.metadata());
        root.put("version", doc.version());
        root.put("timestamp", doc.timestamp());
        return write(root);
    }

    static String pretty(byte[] json) {
        try {
            return write(JSON.readValue(json, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Commands stay available while the store is away, and say so. */
    static void requireStore(Object store) {
        if (store == null) {
            throw new IllegalStateException("the shadow store is not running (feature fogwerk-shadow)");
        }
    }

    static void requireGateway(Object gateway) {
        if (gateway == null) {
            throw new IllegalStateException("writes are refused: the write gateway is not running (it needs the "
                    + "shadow store and the audit trail, features fogwerk-shadow and fogwerk-audit)");
        }
    }

    /** The store's refusal as one line: its code and message, as the AWS service gives them. */
    static IllegalArgumentException refusal(ShadowException e) {
        return new IllegalArgumentException(e.code() + ": " + e.getMessage());
    }
}
