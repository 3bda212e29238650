package org.fogwerk.connector.modbus.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.fogwerk.api.TagValue;
import org.fogwerk.core.standalone.StandaloneCore;

/**
 * The connections a test starts, in the node's core (which turns the tags of a lost connection BAD),
 * with what they publish; closing stops them and the core.
 */
final class StartedConnections implements AutoCloseable {

    private final StandaloneCore core = new StandaloneCore();
    final RecordingSink sink = new RecordingSink(core.sink());
    private final List<ModbusConnection> connections = new ArrayList<>();

    /** Starts a connection configured with {@code defaults} and then {@code more} ({@code key, value, ...}). */
    ModbusConnection start(Object[] defaults, Object... more) throws Exception {
        Object[] kv = Arrays.copyOf(defaults, defaults.length + more.length);
        System.arraycopy(more, 0, kv, defaults.length, more.length);
        ModbusConnection c = new ModbusConnection(TestConfigs.settings(kv), sink);
        connections.add(c);
        core.add(c);
        c.start();
        return c;
    }

    /** The tag's value as the node sees it, including what the core publishes for a lost connection. */
    TagValue node(String tag) {
        return core.bus().latest("test", tag).orElse(null);
    }

    @Override
    public void close() {
        connections.forEach(ModbusConnection::stop);
        core.close();
    }
}
