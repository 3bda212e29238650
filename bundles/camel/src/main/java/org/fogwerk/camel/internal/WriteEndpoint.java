package org.fogwerk.camel.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.DefaultEndpoint;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.connector.WriteResult;

/**
 * {@code fogwerk:write/<connection>/<tag>?timeout=10000}: writes the body (a number, text,
 * boolean, or a {@link TagValue}'s value) to a machine through the connector registry, which
 * checks access, type and range first. The out body is the {@link WriteResult}; a refused or
 * failed write fails the exchange with a {@link FogwerkOperationException} (code REFUSED, FAILED
 * or TIMEOUT).
 */
final class WriteEndpoint extends DefaultEndpoint {

    final FogwerkServices services;
    final String connection;
    final String tag;
    final long timeoutMillis;

    WriteEndpoint(String uri, FogwerkComponent component, FogwerkServices services, String connection, String tag,
            long timeoutMillis) {
        super(uri, component);
        this.services = services;
        this.connection = connection;
        this.tag = tag;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public Producer createProducer() {
        return new DefaultAsyncProducer(this) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                return write(exchange, callback);
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException(getEndpointUri() + " only writes; to read use fogwerk:tags in from");
    }

    private boolean write(Exchange exchange, AsyncCallback callback) {
        Object body = exchange.getMessage().getBody();
        Object value = body instanceof TagValue ? ((TagValue) body).value() : body;
        String where = "write to " + connection + "/" + tag;
        if (value == null) {
            exchange.setException(new FogwerkOperationException("REFUSED", where + " refused: the body is empty",
                    exchange, null));
            callback.done(true);
            return true;
        }
        WriteGateway gateway = services.gateway();
        if (gateway == null) {
            exchange.setException(new FogwerkOperationException("REFUSED", where
                    + " refused: the write gateway is not running (it needs the shadow store and the audit trail)",
                    exchange, null));
            callback.done(true);
            return true;
        }
        CompletableFuture<WriteResult> result;
        try {
            result = gateway.write(Caller.of(Source.ROUTE, routeOf(exchange)), connection, tag, value)
                    .toCompletableFuture()
                    .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            exchange.setException(new FogwerkOperationException("FAILED", where + " failed: " + e, exchange, e));
            callback.done(true);
            return true;
        }
        result.whenComplete((r, error) -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                boolean timeout = cause instanceof TimeoutException;
                exchange.setException(new FogwerkOperationException(timeout ? "TIMEOUT" : "FAILED",
                        where + (timeout ? " got no answer within " + timeoutMillis + " ms" : " failed: " + cause),
                        exchange, cause));
            } else if (r.outcome() != WriteResult.Outcome.DONE) {
                exchange.setException(new FogwerkOperationException(r.outcome().name(),
                        where + " " + r.outcome().name().toLowerCase(java.util.Locale.ROOT) + ": " + r.reason(),
                        exchange, null));
            } else {
                exchange.getMessage().setBody(r);
            }
            callback.done(false);
        });
        return false;
    }

    /** The identity a route writes under: its id, or the endpoint when the exchange left no route id. */
    static String routeOf(Exchange exchange) {
        String id = exchange.getFromRouteId();
        return id != null ? "route " + id : "route (unknown)";
    }
}
