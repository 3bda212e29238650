package org.fogwerk.core.internal.authority;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.fogwerk.api.authority.Caller;
import org.osgi.service.component.annotations.Component;

/**
 * Who set each desired field the gateway accepted, so the machine write that follows from the
 * delta is audited under the caller who ordered it.
 */
@Component(service = CommandOrigins.class)
public final class CommandOrigins {

    private final Map<String, Caller> origins = new ConcurrentHashMap<>();

    void ordered(String thing, String shadow, String field, Caller caller) {
        origins.put(key(thing, shadow, field), caller);
    }

    /** Who ordered the field's desired value, or the node itself when nobody did through the gateway. */
    public Caller of(String thing, String shadow, String field) {
        Caller c = origins.get(key(thing, shadow, field));
        return c != null ? c : Caller.of(org.fogwerk.api.authority.Source.NODE, "desired state of " + thing);
    }

    private static String key(String thing, String shadow, String field) {
        return thing + '\u0000' + shadow + '\u0000' + field;
    }
}
