package org.fogwerk.connector.modbus.standalone;

import java.util.HashMap;
import java.util.Map;

import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.fogwerk.api.simulator.SimulatedTag;
import org.fogwerk.connector.modbus.internal.ModbusConfig;
import org.fogwerk.connector.modbus.internal.ModbusConnection;
import org.fogwerk.connector.modbus.internal.ModbusConnectorComponent;
import org.fogwerk.testing.Configs;

/**
 * Real Modbus connections opened as the connector's component opens them, on a plain class path,
 * and tag lines for what the Modbus simulator serves; for tests and benchmarks. The package is
 * not exported.
 */
public final class StandaloneModbus {

    private StandaloneModbus() {
    }

    /** A started connection named {@code name}, from the keys of its {@code .cfg} file. */
    public static Connector open(String name, Map<String, Object> config, TagSink sink) {
        Map<String, Object> props = new HashMap<>(config);
        props.put("felix.fileinstall.filename", "etc/org.fogwerk.connector.modbus-" + name + ".cfg");
        ModbusConnection c = ModbusConnectorComponent.create(Configs.typed(ModbusConfig.class, config), props, sink);
        c.start();
        return c;
    }

    public static void close(Connector c) {
        ((ModbusConnection) c).stop();
    }

    /** Requests the connection sent to its device since start. */
    public static long requests(Connector c) {
        return ((ModbusConnection) c).requestCount();
    }

    /** Poll cycles it skipped because the previous one overran. */
    public static long overruns(Connector c) {
        return ((ModbusConnection) c).overruns();
    }

    /** Requests one poll cycle of its read plan takes. */
    public static int requestsPerCycle(Connector c) {
        return ((ModbusConnection) c).plan().size();
    }

    /** The area a simulated tag is in: {@code coil}, {@code discrete-input}, {@code holding}, {@code input}. */
    public static String area(SimulatedTag t) {
        return t.address().split(" ")[0].replace("-register", "");
    }

    /** The tag line of a simulated tag, at the address and with the type the simulator serves. */
    public static String tagLine(SimulatedTag t, boolean writable) {
        String type;
        switch (t.dataType()) {
            case BOOLEAN:
                type = "bool";
                break;
            case FLOAT:
                type = "float32";
                break;
            case DOUBLE:
                type = "float64";
                break;
            case STRING:
                type = "string(16)";
                break;
            default:
                type = t.dataType().name().toLowerCase();
                break;
        }
        return t.name() + ",," + area(t) + "," + t.address().split(" ")[1] + "," + type + ",,,,," + (writable ? "rw" : "r");
    }
}
