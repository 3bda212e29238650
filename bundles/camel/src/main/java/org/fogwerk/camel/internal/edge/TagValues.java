package org.fogwerk.camel.internal.edge;

import org.apache.camel.Exchange;
import org.fogwerk.api.TagValue;

/** The TagValue body an edge endpoint works on, or a clear error for any other body. */
final class TagValues {

    private TagValues() {
    }

    static TagValue body(Exchange exchange, String endpointUri) {
        Object body = exchange.getIn().getBody();
        if (body instanceof TagValue) {
            return (TagValue) body;
        }
        throw new IllegalArgumentException(endpointUri + " needs a TagValue body (as fogwerk:tags delivers), not "
                + (body == null ? "an empty body" : body.getClass().getName()));
    }

    /** The number a value stands for in limits and statistics: booleans as 0 and 1; NaN for anything else. */
    static double number(Object value) {
        if (value instanceof Double || value instanceof Long) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof Boolean) {
            return (Boolean) value ? 1 : 0;
        }
        return Double.NaN;
    }
}
