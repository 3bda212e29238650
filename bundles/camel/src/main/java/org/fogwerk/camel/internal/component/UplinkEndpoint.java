package org.fogwerk.camel.internal.component;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

import org.apache.camel.AsyncCallback;
import org.apache.camel.Category;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.uplink.Uplink;

/**
 * {@code fogwerk:uplink/<name>?connection=<id>&tag=<name>}: hands values to an uplink's durable
 * outbox; the exchange completes when they are on disk. The body is a {@link TagValue}, a
 * collection of them, or anything else, which becomes one GOOD value (numbers, booleans and
 * bytes as they are, other bodies as text) of connection {@code connection} (default
 * {@code camel}) and tag {@link FogwerkHeaders#TAG} or {@code tag} (default the route id).
 */
@UriEndpoint(scheme = FogwerkComponent.SCHEME, title = "Fogwerk uplink", syntax = "fogwerk:uplink/uplink",
        producerOnly = true, category = Category.IOT)
public final class UplinkEndpoint extends SendingEndpoint {

    @UriPath(description = "The uplink whose outbox takes the values")
    @Metadata(required = true)
    final String uplink;
    @UriParam(defaultValue = "camel", description = "Connection of the values made from other bodies")
    private String connection = "camel";
    @UriParam(description = "Tag of the values made from other bodies when the message has no FogwerkTag header;"
            + " default the route id")
    private String tag;

    UplinkEndpoint(String uri, FogwerkComponent component, FogwerkServices services, String uplink) {
        super(uri, component, services, " only sends; use it in to");
        this.uplink = uplink;
    }

    public void setConnection(String connection) {
        this.connection = connection;
    }

    public void setTag(String tag) {
        this.tag = tag;
    }

    @Override
    boolean send(Exchange exchange, AsyncCallback callback) {
        Uplink target = services.uplinks().get(uplink);
        if (target == null) {
            return fail(exchange, callback, new FogwerkOperationException("404", "no uplink named '" + uplink
                    + "' (configured: " + String.join(", ", new TreeSet<>(services.uplinks().keySet())) + ")",
                    exchange, null));
        }
        List<TagValue> values;
        try {
            values = values(exchange);
        } catch (RuntimeException e) {
            return fail(exchange, callback, new FogwerkOperationException("400", "uplink " + uplink + ": "
                    + e.getMessage(), exchange, e));
        }
        target.submit(values).whenComplete((ok, error) -> {
            if (error != null) {
                Throwable cause = cause(error);
                exchange.setException(new FogwerkOperationException("REFUSED", "uplink " + uplink
                        + " refused " + values.size() + " values: " + cause.getMessage(), exchange, cause));
            }
            callback.done(false);
        });
        return false;
    }

    private List<TagValue> values(Exchange exchange) {
        Message m = exchange.getMessage();
        Object body = m.getBody();
        if (body instanceof TagValue) {
            return List.of((TagValue) body);
        }
        if (body instanceof Collection && !((Collection<?>) body).isEmpty()
                && ((Collection<?>) body).iterator().next() instanceof TagValue) {
            List<TagValue> list = new ArrayList<>(((Collection<?>) body).size());
            for (Object o : (Collection<?>) body) {
                if (!(o instanceof TagValue)) {
                    throw new IllegalArgumentException("a list of values holds a " + o.getClass().getName());
                }
                list.add((TagValue) o);
            }
            return list;
        }
        if (body == null) {
            throw new IllegalArgumentException("the body is empty");
        }
        String tagName = m.getHeader(FogwerkHeaders.TAG, String.class);
        if (tagName == null) {
            tagName = tag != null ? tag : exchange.getFromRouteId();
        }
        Object value = body instanceof Number || body instanceof Boolean || body instanceof byte[]
                || body instanceof String ? body : m.getBody(String.class);
        if (value == null) {
            throw new IllegalArgumentException("a body of type " + body.getClass().getName() + " cannot be sent as text");
        }
        return List.of(TagValue.good(connection, tagName == null ? "camel" : tagName, value));
    }
}
