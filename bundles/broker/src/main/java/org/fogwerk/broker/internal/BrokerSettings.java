package org.fogwerk.broker.internal;

import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.fogwerk.support.config.InvalidConfigurationException;

/**
 * The validated configuration of the embedded broker.
 *
 * @param mode when to start
 * @param bindAddress address to listen on
 * @param port TCP port
 * @param allowAnonymous accept clients without a user name
 * @param username required user name for clients that send one; empty for none
 * @param password the password for {@code username}
 * @param persistence keep sessions and queues on disk
 * @param maxPacketBytes the largest packet a client may send
 */
record BrokerSettings(BrokerMode mode, String bindAddress, int port, boolean allowAnonymous, String username,
        String password, boolean persistence, int maxPacketBytes) {

    /** The largest packet MQTT 3.1.1 can encode (remaining length of four bytes). */
    static final int MQTT_MAX_PACKET = 268_435_455;

    /** The endpoint clients use; a wildcard bind address is reached through the loopback address. */
    String endpoint() {
        return "tcp://" + urlHost(clientHost()) + ":" + port;
    }

    /** The address a local client connects to. */
    String clientHost() {
        return switch (bindAddress) {
            case "0.0.0.0" -> "127.0.0.1";
            case "::", "::0", "0:0:0:0:0:0:0:0" -> "::1";
            default -> bindAddress;
        };
    }

    private static String urlHost(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /** The mode as written in the configuration, for the status when the rest is invalid. */
    static String rawMode(Map<String, ?> raw) {
        Object v = raw.get("mode");
        return v == null ? BrokerMode.ON.key() : String.valueOf(v).trim();
    }

    /**
     * Checks every key.
     *
     * @param config the typed configuration (Felix SCR throws from an accessor whose value does not convert)
     * @param raw the raw configuration properties, to quote the value in messages
     * @throws InvalidConfigurationException naming the first bad key, its value and why
     */
    static BrokerSettings read(BrokerConfig config, Map<String, ?> raw) throws InvalidConfigurationException {
        String modeText = get("mode", config::mode, raw).trim().toLowerCase(Locale.ROOT);
        BrokerMode mode = switch (modeText) {
            case "on" -> BrokerMode.ON;
            case "off" -> BrokerMode.OFF;
            case "auto" -> throw invalid("mode", raw, "is no longer supported: it took the port of the site's broker"
                    + " when that broker was down at boot; use on with a port of its own (1884), or off");
            default -> throw invalid("mode", raw, "must be on or off");
        };
        String bindAddress = nullToEmpty(get("bind.address", config::bind_address, raw)).trim();
        if (bindAddress.isEmpty()) {
            throw invalid("bind.address", raw, "must not be empty (127.0.0.1 for this node only, 0.0.0.0 for all)");
        }
        if (bindAddress.chars().anyMatch(Character::isWhitespace) || bindAddress.contains("/")) {
            throw invalid("bind.address", raw, "must be an IP address or a host name");
        }
        int port = get("port", config::port, raw);
        if (port < 1 || port > 65535) {
            throw invalid("port", raw, "must be between 1 and 65535");
        }
        boolean allowAnonymous = get("allow.anonymous", config::allow_anonymous, raw);
        String username = nullToEmpty(get("username", config::username, raw)).trim();
        String password = nullToEmpty(get(".password", config::_password, raw));
        if (!username.isEmpty() && password.isEmpty()) {
            throw InvalidConfigurationException.worded(null, ".password", "a password is required when username is set",
                    ".password is empty: a password is required when username is set");
        }
        if (username.isEmpty() && !password.isEmpty()) {
            throw invalid("username", raw, "must be set when .password is set");
        }
        if (!allowAnonymous && username.isEmpty()) {
            throw invalid("allow.anonymous", raw, "false needs username and .password, or no client could connect");
        }
        if (allowAnonymous && !loopback(bindAddress)) {
            throw invalid("allow.anonymous", raw, "true with bind.address '" + bindAddress + "' would let any machine"
                    + " that reaches the port publish on the node's command and shadow topics; set allow.anonymous ="
                    + " false with username and .password, or bind.address = 127.0.0.1");
        }
        boolean persistence = get("persistence", config::persistence, raw);
        int maxPacket = get("max.packet.bytes", config::max_packet_bytes, raw);
        if (maxPacket < 1024 || maxPacket > MQTT_MAX_PACKET) {
            throw invalid("max.packet.bytes", raw, "must be between 1024 and " + MQTT_MAX_PACKET);
        }
        return new BrokerSettings(mode, bindAddress, port, allowAnonymous, username, password, persistence, maxPacket);
    }

    /** Only this box reaches it: the loopback addresses and their name. */
    private static boolean loopback(String address) {
        return address.equals("localhost") || address.startsWith("127.") || address.equals("::1")
                || address.equals("[::1]") || address.equals("0:0:0:0:0:0:0:1");
    }

    private static <T> T get(String key, Supplier<T> accessor, Map<String, ?> raw)
            throws InvalidConfigurationException {
        try {
            return accessor.get();
        } catch (RuntimeException e) {
            throw invalid(key, raw, "cannot be converted (" + e.getMessage() + ")");
        }
    }

    private static InvalidConfigurationException invalid(String key, Map<String, ?> raw, String why) {
        Object value = raw.get(key);
        String shown = value == null ? "<default>" : key.startsWith(".") ? "****" : "'" + value + "'";
        return InvalidConfigurationException.worded(null, key, why, key + "=" + shown + ": " + why);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
