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
     * Whether a character may stand in the name of a connection, a thing or a shadow: letters
     * a-z and A-Z, digits, {@code :}, {@code _} and {@code -}. One rule for all three, because a
     * connection that no thing configuration mentions becomes a thing of the same name, and a
     * thing's name is the name of its shadow documents.
     *
     * @since 1.4
     */
    public static boolean isNameCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':' || c == '_'
                || c == '-';
    }

    /**
     * Why a name of a connection, thing or shadow cannot be used, or {@code null} when it can: it
     * must be 1 to {@code maxLength} characters that pass {@link #isNameCharacter(char)}.
     *
     * @param name      the name, may be null
     * @param maxLength the most characters (all of them ASCII, so also the most bytes)
     * @return for example {@code 'press 01' is invalid: use 1 to 128 characters of a-z, A-Z, 0-9,
     *         ':', '_' and '-'}
     * @since 1.4
     */
    public static String checkName(String name, int maxLength) {
        boolean ok = name != null && !name.isEmpty() && name.length() <= maxLength;
        for (int i = 0; ok && i < name.length(); i++) {
            ok = isNameCharacter(name.charAt(i));
        }
        return ok ? null
                : "'" + name + "' is invalid: use 1 to " + maxLength + " characters of a-z, A-Z, 0-9, ':', '_' and '-'";
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
