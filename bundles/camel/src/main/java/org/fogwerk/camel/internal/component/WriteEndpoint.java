package org.fogwerk.camel.internal.component;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.camel.AfterPropertiesConfigured;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Category;
import org.apache.camel.Exchange;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
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
@UriEndpoint(scheme = FogwerkComponent.SCHEME, title = "Fogwerk machine write", syntax = "fogwerk:write/connection/tag",
        producerOnly = true, category = Category.IOT)
public final class WriteEndpoint extends SendingEndpoint implements AfterPropertiesConfigured {

    @UriPath(description = "The machine connection written to")
    @Metadata(required = true)
    final String connection;
    @UriPath(description = "The tag written")
    @Metadata(required = true)
    final String tag;
    @UriParam(defaultValue = "10000", description = "How long to wait for the machine's answer (ms), 1 to 3600000")
    private long timeout = 10_000;

    WriteEndpoint(String uri, FogwerkComponent component, FogwerkServices services, String connection, String tag) {
        super(uri, component, services, " only writes; to read use fogwerk:tags in from");
        this.connection = connection;
        this.tag = tag;
    }

    @Override
    public void afterPropertiesConfigured(CamelContext camelContext) {
        FogwerkComponent.checkRange("timeout", timeout, 1, 3_600_000);
    }

    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    @Override
    boolean send(Exchange exchange, AsyncCallback callback) {
        Object body = exchange.getMessage().getBody();
        Object value = body instanceof TagValue ? ((TagValue) body).value() : body;
        String where = "write to " + connection + "/" + tag;
        if (value == null) {
            return fail(exchange, callback, new FogwerkOperationException("REFUSED", where
                    + " refused: the body is empty", exchange, null));
        }
        WriteGateway gateway = services.gateway();
        if (gateway == null) {
            return fail(exchange, callback, new FogwerkOperationException("REFUSED", where
                    + " refused: the write gateway is not running (it needs the shadow store and the audit trail)",
                    exchange, null));
        }
        CompletableFuture<WriteResult> result;
        try {
            result = gateway.write(Caller.of(Source.ROUTE, routeOf(exchange)), connection, tag, value)
                    .toCompletableFuture()
                    .orTimeout(timeout, TimeUnit.MILLISECONDS);
        } catch (RuntimeException e) {
            return fail(exchange, callback, new FogwerkOperationException("FAILED", where + " failed: " + e,
                    exchange, e));
        }
        result.whenComplete((r, error) -> {
            if (error != null) {
                Throwable cause = cause(error);
                boolean timedOut = cause instanceof TimeoutException;
                exchange.setException(new FogwerkOperationException(timedOut ? "TIMEOUT" : "FAILED",
                        where + (timedOut ? " got no answer within " + timeout + " ms" : " failed: " + cause),
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
    public static String routeOf(Exchange exchange) {
        String id = exchange.getFromRouteId();
        return id != null ? "route " + id : "route (unknown)";
    }
}
