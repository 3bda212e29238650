package org.fogwerk.camel.internal.component;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.AfterPropertiesConfigured;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Category;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowUpdate;

/**
 * {@code fogwerk:shadow/<thing>[/<shadow>]?section=desired|reported|request}: writes the body
 * into a shadow through the store, with all its checks (size, depth, version, types).
 *
 * <ul>
 * <li>a {@code Map}: the fields to merge into the section; the out body is the {@link ShadowDocument} after it;</li>
 * <li>JSON text or bytes: the fields of the section as a JSON object, or with {@code section=request}
 *     a whole request document ({@code {"state": {...}, "version": n}}); the out body is the
 *     store's accepted answer as JSON text;</li>
 * <li>a {@link TagValue}: one field named like its tag.</li>
 * </ul>
 * The header {@link FogwerkHeaders#SHADOW_SECTION} overrides the section per message. A refused
 * update fails the exchange with a {@link FogwerkOperationException} carrying the store's code.
 */
@UriEndpoint(scheme = FogwerkComponent.SCHEME, title = "Fogwerk shadow", syntax = "fogwerk:shadow/thing/shadow",
        producerOnly = true, category = Category.IOT)
public final class ShadowEndpoint extends SendingEndpoint implements AfterPropertiesConfigured {

    static final String DESIRED = "desired";
    static final String REPORTED = "reported";
    static final String REQUEST = "request";

    @UriPath(description = "The thing whose shadow is written")
    @Metadata(required = true)
    final String thing;
    @UriPath(description = "The named shadow; none for the thing's classic shadow")
    final String shadow;
    @UriParam(defaultValue = DESIRED, enums = "desired,reported,request",
            description = "Where the body goes: desired or reported fields, or a whole request document")
    private String section = DESIRED;

    ShadowEndpoint(String uri, FogwerkComponent component, FogwerkServices services, String thing, String shadow) {
        super(uri, component, services,
                " only writes into a shadow; to follow changes use fogwerk:shadow-delta in from");
        this.thing = thing;
        this.shadow = shadow;
    }

    @Override
    public void afterPropertiesConfigured(CamelContext camelContext) {
        section = checkSection(section, "section");
    }

    public void setSection(String section) {
        this.section = section;
    }

    static String checkSection(String section, String where) {
        String s = section.trim().toLowerCase(Locale.ROOT);
        if (!s.equals(DESIRED) && !s.equals(REPORTED) && !s.equals(REQUEST)) {
            throw new IllegalArgumentException(where + " '" + section + "' is not one of desired, reported, request");
        }
        return s;
    }

    @Override
    boolean send(Exchange exchange, AsyncCallback callback) {
        try {
            update(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        callback.done(true);
        return true;
    }

    private void update(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String sectionHeader = in.getHeader(FogwerkHeaders.SHADOW_SECTION, String.class);
        String sec = sectionHeader == null ? section : checkSection(sectionHeader, FogwerkHeaders.SHADOW_SECTION);
        Object body = in.getBody();
        String where = "shadow " + thing + (shadow.isEmpty() ? "" : "/" + shadow);
        WriteGateway gateway = services.gateway();
        if (gateway == null) {
            throw new FogwerkOperationException("503", where
                    + ": the write gateway is not running (it needs the shadow store and the audit trail)", exchange, null);
        }
        Caller caller = Caller.of(Source.ROUTE, WriteEndpoint.routeOf(exchange));
        try {
            if (body instanceof TagValue) {
                TagValue v = (TagValue) body;
                body = Map.of(v.tag(), v.value());
            }
            if (body instanceof Map) {
                if (REQUEST.equals(sec)) {
                    throw new FogwerkOperationException("400", where
                            + ": section=request needs a JSON request document, got a Map", exchange, null);
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> fields = (Map<String, Object>) body;
                ShadowUpdate update = DESIRED.equals(sec) ? ShadowUpdate.desired(fields) : ShadowUpdate.reported(fields);
                ShadowDocument after = gateway.updateShadow(caller, thing, shadow, update);
                in.setBody(after);
                in.setHeader(FogwerkHeaders.SHADOW_VERSION, after.version());
            } else {
                String json = in.getMandatoryBody(String.class).trim();
                String request = REQUEST.equals(sec) ? json : "{\"state\":{\"" + sec + "\":" + json + "}}";
                byte[] answer = gateway.updateShadow(caller, thing, shadow,
                        request.getBytes(StandardCharsets.UTF_8));
                in.setBody(new String(answer, StandardCharsets.UTF_8));
            }
            in.setHeader(FogwerkHeaders.THING, thing);
            in.setHeader(FogwerkHeaders.SHADOW, shadow);
        } catch (ShadowException e) {
            throw new FogwerkOperationException(String.valueOf(e.code()),
                    where + " refused the update: " + e.code() + " " + e.getMessage(), exchange, e);
        }
    }
}
