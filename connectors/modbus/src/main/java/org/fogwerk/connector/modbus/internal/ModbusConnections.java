package org.fogwerk.connector.modbus.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;

/** The Modbus connections of this bundle by id, for the commissioning commands. */
@Component(service = ModbusConnections.class)
public final class ModbusConnections {

    private final Map<String, ModbusConnection> byId = new ConcurrentHashMap<>();

    /** The first connection with a name keeps it, as in the node's connection registry. */
    void add(ModbusConnection c) {
        byId.putIfAbsent(c.id(), c);
    }

    void remove(ModbusConnection c) {
        byId.remove(c.id(), c);
    }

    Optional<ModbusConnection> get(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** Connection ids, sorted. */
    public List<String> ids() {
        List<String> ids = new ArrayList<>(byId.keySet());
        Collections.sort(ids);
        return ids;
    }
}
