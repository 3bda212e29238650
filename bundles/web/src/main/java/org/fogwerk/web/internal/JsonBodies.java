package org.fogwerk.web.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.Locale;

import javax.servlet.http.HttpServletRequest;

import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.support.json.JsonScalars;
import org.fogwerk.support.shadow.JsonSyntax;
import org.fogwerk.support.shadow.ShadowText;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON bodies of the API's requests: the media type (415), the size (413) and the syntax
 * (400) checked before anything of a body is used, and a tag write's {@code {"value": ...}}.
 */
record JsonBodies(ObjectMapper mapper, int bodyLimit) {

    /** The body, a JSON object. */
    JsonNode object(HttpServletRequest rq) throws ApiException, IOException {
        byte[] raw = raw(rq);
        try {
            // one JSON value and nothing after it, each field once: {"value": 1} xyz is not JSON, and
            // {"value": 1, "value": 1000} must not pass for whichever value a reader keeps
            JsonNode node = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(raw);
            if (node == null || !node.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object", "body");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the body is not valid JSON: " + JsonSyntax.describe(e), "body");
        }
    }

    /** The body, checked for its type (415) and size (413) before anything of it is used. */
    byte[] raw(HttpServletRequest rq) throws ApiException, IOException {
        String type = rq.getContentType();
        String[] parts = type == null ? new String[] {""} : type.toLowerCase(Locale.ROOT).split(";");
        boolean utf8 = true;
        for (int i = 1; i < parts.length; i++) {
            String param = parts[i].replace(" ", "").replace("\"", "");
            // JSON is UTF-8 (RFC 8259): a body declared in another charset would be read wrong
            utf8 &= !param.startsWith("charset=") || param.equals("charset=utf-8");
        }
        if (!parts[0].trim().equals("application/json") || !utf8) {
            throw new ApiException(415, "the body must be application/json in UTF-8, not "
                    + (type == null ? "without a Content-Type" : "'" + type + "'"), "Content-Type");
        }
        long declared = rq.getContentLengthLong();
        if (declared > bodyLimit) {
            throw new ApiException(413, "the body has " + declared + " bytes, more than the limit of " + bodyLimit
                    + " (body.limit in etc/org.fogwerk.web.cfg)", "body");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
        byte[] buffer = new byte[8192];
        try (InputStream in = rq.getInputStream()) {
            int r;
            while ((r = in.read(buffer)) >= 0) {
                if (out.size() + r > bodyLimit) {
                    throw new ApiException(413, "the body is longer than the limit of " + bodyLimit
                            + " bytes (body.limit in etc/org.fogwerk.web.cfg)", "body");
                }
                out.write(buffer, 0, r);
            }
        }
        if (out.size() == 0) {
            throw ApiException.badRequest("the request needs a JSON body", "body");
        }
        byte[] body = out.toByteArray();
        try {
            ShadowText.utf8(body);
        } catch (ShadowException e) {
            throw new ApiException(415, "the body is not UTF-8: " + e.getMessage(), "body");
        }
        return body;
    }

    /** The value of a write's body {"value": ...}, which holds nothing else. */
    static Object writtenValue(JsonNode body) throws ApiException {
        JsonNode value = body.get("value");
        if (value == null) {
            throw ApiException.badRequest("the body needs a field 'value': {\"value\": 12.5}", "value");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("value")) {
                // a misspelt option must not pass as a plain write
                throw ApiException.badRequest("unknown field '" + name + "': the body of a write is {\"value\": ...}"
                        + " and nothing else", name);
            }
        }
        return scalar(value);
    }

    private static Object scalar(JsonNode value) throws ApiException {
        Object scalar = JsonScalars.scalar(value);
        if (scalar != null) {
            return scalar;
        }
        throw ApiException.badRequest("value must be a number, true/false or text, not " + value.getNodeType()
                .name().toLowerCase(Locale.ROOT), "value");
    }
}
