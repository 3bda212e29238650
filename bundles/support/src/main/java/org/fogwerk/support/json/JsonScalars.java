package org.fogwerk.support.json;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Java value of a JSON boolean, number or text, as a tag write takes it: {@code Boolean},
 * {@code Long} (a {@code BigInteger} beyond a long), {@code Double} or {@code String}.
 */
public final class JsonScalars {

    private JsonScalars() {
    }

    /** The value of a boolean, number or text; {@code null} for anything else (null, an array, an object). */
    public static Object scalar(JsonNode value) {
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isIntegralNumber()) {
            // exact beyond a long too (a uint64 up to 2^64-1): the tag's type decides whether it fits
            return value.canConvertToLong() ? (Object) value.longValue() : value.bigIntegerValue();
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        return null;
    }
}
