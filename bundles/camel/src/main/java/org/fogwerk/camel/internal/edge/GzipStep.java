package org.fogwerk.camel.internal.edge;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;

/**
 * {@code fogwerk:edge/gzip?level=6}: replaces the body by its gzip compression and sets the
 * {@code Content-Encoding} header to {@code gzip}. Text is encoded as UTF-8 first; other bodies
 * are converted to bytes by Camel's type converters.
 */
record GzipStep(int level) implements StepEndpoint.Step {

    @Override
    public void process(Exchange exchange, String uri) {
        Object body = exchange.getIn().getBody();
        byte[] bytes;
        if (body instanceof byte[]) {
            bytes = (byte[]) body;
        } else if (body instanceof String) {
            bytes = ((String) body).getBytes(StandardCharsets.UTF_8);
        } else {
            bytes = body == null ? null : exchange.getIn().getBody(byte[].class);
        }
        if (bytes == null) {
            throw new IllegalArgumentException(uri + " cannot turn "
                    + (body == null ? "an empty body" : "a body of " + body.getClass().getName())
                    + " into bytes: convert or marshal it to text or bytes first");
        }
        exchange.getIn().setBody(Gzip.compress(bytes, level));
        exchange.getIn().setHeader(Exchange.CONTENT_ENCODING, "gzip");
    }
}
