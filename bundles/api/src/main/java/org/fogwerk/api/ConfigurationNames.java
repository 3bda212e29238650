package org.fogwerk.api;

import java.util.Map;
import java.util.Optional;

/**
 * How the node names the instances of its factory configurations: one connection, uplink or
 * thing per file, {@code etc/<factory pid>-<name>.cfg}.
 */
public final class ConfigurationNames {

    /** The property Karaf's file installer sets to the file a configuration came from. */
    public static final String FILE_PROPERTY = "felix.fileinstall.filename";

    /**
     * Component property naming the key prefixes a configuration may use beyond the keys of its
     * metatype ({@code map.}, {@code attribute.}), or {@code *} for any key: the node warns about
     * every other key it does not know, with the nearest known one.
     *
     * @since 1.2
     */
    public static final String OPEN_KEYS_PROPERTY = "fogwerk.config.open.keys";

    private ConfigurationNames() {
    }

    /**
     * The instance name of a factory configuration: the name of a named factory configuration
     * ({@code org.fogwerk.connector.modbus~line2}, which is what both
     * {@code etc/org.fogwerk.connector.modbus-line2.cfg} and {@code config:edit --factory}
     * create), or else the part of its file name after the first {@code -}, without
     * {@code .cfg}.
     *
     * @param properties the configuration's properties, as a component receives them
     * @return the name, empty when neither the PID nor a file gives one
     */
    public static Optional<String> instanceName(Map<String, ?> properties) {
        Object pid = properties.get("service.pid");
        if (pid != null) {
            String p = pid.toString();
            int tilde = p.indexOf('~');
            if (tilde >= 0 && tilde < p.length() - 1) {
                return Optional.of(p.substring(tilde + 1));
            }
        }
        Object file = properties.get(FILE_PROPERTY);
        if (file != null) {
            String f = file.toString();
            f = f.substring(Math.max(f.lastIndexOf('/'), f.lastIndexOf('\\')) + 1);
            if (f.endsWith(".cfg")) {
                f = f.substring(0, f.length() - 4);
            }
            int dash = f.indexOf('-');
            if (dash >= 0 && dash < f.length() - 1) {
                return Optional.of(f.substring(dash + 1));
            }
        }
        return Optional.empty();
    }
}
