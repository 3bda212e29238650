package org.fogwerk.connector.opcua.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.fogwerk.api.ConfigurationNames;
import org.fogwerk.support.config.ConfigurationFile;
import org.fogwerk.support.config.InvalidConfigurationException;
import org.fogwerk.support.csv.TagTable;

/**
 * The checked settings of one connection. {@link #read} validates every key before anything
 * starts and throws {@link InvalidConfigurationException} naming the file, the key and the reason.
 */
record OpcUaSettings(String id, String source, String endpointUrl, SecurityPolicy securityPolicy,
        MessageSecurityMode securityMode, String auth, String username, String password, double publishingInterval,
        double samplingInterval, int queueSize, boolean discardOldest, int maxItemsPerSubscription,
        int publishRequests, int deadbandType, double deadbandValue, long keepAliveInterval,
        long requestTimeout, long reconnectMin, long reconnectMax, List<OpcUaTag> tags, List<String> tagErrors,
        Path pkiDir, boolean autoAccept) {

    static final String PID = "org.fogwerk.connector.opcua";

    static final List<String> POLICIES = List.of("None", "Basic256Sha256", "Aes128_Sha256_RsaOaep",
            "Aes256_Sha256_RsaPss");

    /** The deadband type numbers of OPC UA's DeadbandType enumeration. */
    static final int DEADBAND_NONE = 0;
    static final int DEADBAND_ABSOLUTE = 1;
    static final int DEADBAND_PERCENT = 2;

    /**
     * The server-side queue of a tag sampled at {@code sampling} ms: the configured size, or with
     * {@code queue.size = 0} the samples of one publishing interval (at least 1), so a publish that
     * comes late brings the newest values only and a value's age stays bounded.
     */
    int queueSizeFor(double sampling) {
        if (queueSize > 0) {
            return queueSize;
        }
        double effective = sampling < 0 ? publishingInterval : sampling;
        if (effective <= 0) {
            return 1;
        }
        return (int) Math.max(1, Math.min(10_000, Math.ceil(publishingInterval / effective)));
    }

    static OpcUaSettings read(OpcUaConfig c, Map<String, Object> props) throws InvalidConfigurationException {
        String fileName = fileName(props);
        String source = fileName != null ? fileName : PID;
        Optional<String> notText = ConfigurationFile.notText(props);
        if (notText.isPresent()) {
            throw InvalidConfigurationException.worded(source, null, notText.get(), notText.get());
        }
        String id = c.name() == null || c.name().isBlank()
                ? ConfigurationNames.instanceName(props).orElse("opcua") : c.name().trim();
        String idProblem = org.fogwerk.api.connector.spi.Connector.checkId(id);
        if (idProblem != null) {
            throw InvalidConfigurationException.worded(source, "name", idProblem, source + ": name = " + idProblem);
        }
        Keys k = new Keys(source);
        String url = k.text("endpoint.url", c::endpoint_url);
        if (url.isEmpty()) {
            throw k.bad("endpoint.url", url, "is required (opc.tcp://host:port/path)");
        }
        try {
            URI uri = URI.create(url);
            if (!"opc.tcp".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw k.bad("endpoint.url", url, "is not an opc.tcp://host:port/path URL");
        }
        String policyName = k.text("security.policy", c::security_policy);
        String matchedPolicy = POLICIES.stream().filter(p -> p.equalsIgnoreCase(policyName)).findFirst()
                .orElseThrow(() -> k.bad("security.policy", policyName, "is not one of " + POLICIES));
        SecurityPolicy policy = SecurityPolicy.valueOf(matchedPolicy);
        String modeName = k.text("security.mode", c::security_mode);
        MessageSecurityMode mode;
        switch (modeName.toLowerCase(Locale.ROOT)) {
            case "none":
                mode = MessageSecurityMode.None;
                break;
            case "sign":
                mode = MessageSecurityMode.Sign;
                break;
            case "signandencrypt":
                mode = MessageSecurityMode.SignAndEncrypt;
                break;
            default:
                throw k.bad("security.mode", modeName, "is not one of [None, Sign, SignAndEncrypt]");
        }
        if ((policy == SecurityPolicy.None) != (mode == MessageSecurityMode.None)) {
            throw k.bad("security.mode", modeName, "does not go with security.policy = " + matchedPolicy
                    + ": policy None needs mode None, and mode None needs policy None");
        }
        String auth = k.text("auth", c::auth).toLowerCase(Locale.ROOT);
        if (!List.of("anonymous", "username", "x509").contains(auth)) {
            throw k.bad("auth", auth, "is not one of [anonymous, username, x509]");
        }
        String user = k.text("username", c::username);
        String password = c._password() == null ? "" : c._password();
        if (auth.equals("username") && user.isEmpty()) {
            throw k.bad("username", "", "is required with auth = username");
        }
        if (auth.equals("x509") && policy == SecurityPolicy.None) {
            throw k.bad("auth", auth, "needs a security.policy other than None (the token is signed)");
        }
        double publishing = k.number("publishing.interval", c::publishing_interval, 1, 3_600_000);
        double sampling = k.number("sampling.interval", c::sampling_interval, -1, 3_600_000);
        int queue = (int) k.whole("queue.size", c::queue_size, 0, 10_000);
        boolean discardOldest = k.bool("discard.oldest", c::discard_oldest);
        int maxItems = (int) k.whole("subscription.max.items", c::subscription_max_items, 1, 100_000);
        int publishRequests = (int) k.whole("publish.requests", c::publish_requests, 0, 1000);
        String dbType = k.text("deadband.type", c::deadband_type).toLowerCase(Locale.ROOT);
        int deadbandType;
        switch (dbType) {
            case "none":
                deadbandType = DEADBAND_NONE;
                break;
            case "absolute":
                deadbandType = DEADBAND_ABSOLUTE;
                break;
            case "percent":
                deadbandType = DEADBAND_PERCENT;
                break;
            default:
                throw k.bad("deadband.type", dbType, "is not one of [none, absolute, percent]");
        }
        double dbValue = k.number("deadband.value", c::deadband_value, 0,
                deadbandType == DEADBAND_PERCENT ? 100 : Double.MAX_VALUE);
        long keepAlive = (long) k.number("keepalive.interval", c::keepalive_interval, 1000, 3_600_000);
        long timeout = (long) k.number("request.timeout", c::request_timeout, 100, 3_600_000);
        long rMin = (long) k.number("reconnect.min", c::reconnect_min, 100, 3_600_000);
        long rMax = (long) k.number("reconnect.max", c::reconnect_max, 100, 3_600_000);
        if (rMax < rMin) {
            throw k.bad("reconnect.max", Long.toString(rMax), "is below reconnect.min = " + rMin);
        }

        TagListParser parser = new TagListParser();
        String inline = c.tags() == null ? "" : c.tags();
        if (!inline.isBlank()) {
            parser.parseInline(source + " key tags", inline);
        }
        String tagsFile = k.text("tags.file", c::tags_file);
        if (!tagsFile.isEmpty()) {
            Path path = resolve(tagsFile);
            String content;
            try {
                content = TagTable.text(path);
            } catch (IOException e) {
                throw k.bad("tags.file", tagsFile, "cannot be read (" + path + ": " + e + ")");
            }
            parser.parseCsv(tagsFile, content);
        }
        TagListParser.Result tags = parser.result();
        if (tags.tags().isEmpty()) {
            String why = tags.errors().isEmpty() ? (tagsFile.isEmpty()
                    ? "no tags configured (set tags or tags.file)" : "no tags: tags.file " + tagsFile + " holds no tag line")
                    : "no valid tag: " + String.join("; ", tags.errors());
            throw new InvalidConfigurationException(source, null, why);
        }
        String pki = k.text("pki.dir", c::pki_dir);
        Path pkiDir = pki.isEmpty() ? defaultPkiDir() : resolve(pki);
        return new OpcUaSettings(id, source, url, policy, mode, auth, user, password, publishing, sampling, queue,
                discardOldest, maxItems, publishRequests, deadbandType, dbValue, keepAlive, timeout, rMin, rMax,
                tags.tags(), tags.errors(), pkiDir, c.security_auto_accept());
    }

    /** How the tags are spread over subscriptions and how many publish requests stay in flight. */
    PublishPlan publishPlan() {
        return PublishPlan.of(tags.size(), maxItemsPerSubscription, publishRequests, publishingInterval);
    }

    static Path defaultPkiDir() {
        String data = System.getProperty("karaf.data");
        return data == null || data.isBlank() ? Paths.get("data", "fogwerk", "pki")
                : Paths.get(data, "fogwerk", "pki");
    }

    private static Path resolve(String file) {
        Path p = Paths.get(file);
        if (p.isAbsolute()) {
            return p;
        }
        String base = System.getProperty("karaf.base");
        return base == null || base.isBlank() ? p : Paths.get(base).resolve(p);
    }

    private static String fileName(Map<String, Object> props) {
        return ConfigurationFile.shown(props).orElse(null);
    }

    /** Reads keys and builds messages naming them. */
    private static final class Keys {
        private final String source;

        Keys(String source) {
            this.source = source;
        }

        InvalidConfigurationException bad(String key, String value, String why) {
            return InvalidConfigurationException.worded(source, key, why,
                    source + ": " + key + " = '" + value + "' " + why);
        }

        String text(String key, Supplier<String> s) {
            String v = s.get();
            return v == null ? "" : v.trim();
        }

        double number(String key, Supplier<String> s, double min, double max) throws InvalidConfigurationException {
            String v = text(key, s);
            double d;
            try {
                d = Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw bad(key, v, "is not a number");
            }
            if (Double.isNaN(d) || d < min || d > max) {
                throw bad(key, v, "is out of range (" + fmt(min) + ".." + fmt(max) + ")");
            }
            return d;
        }

        boolean bool(String key, Supplier<String> s) throws InvalidConfigurationException {
            String v = text(key, s);
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
            throw bad(key, v, "is not true or false");
        }

        /** A whole number in range; a fraction is refused rather than cut. */
        long whole(String key, Supplier<String> s, long min, long max) throws InvalidConfigurationException {
            double d = number(key, s, min, max);
            if (d != Math.rint(d)) {
                throw bad(key, text(key, s), "is not a whole number");
            }
            return (long) d;
        }

        private static String fmt(double d) {
            return d == Double.MAX_VALUE ? "" : d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
        }
    }
}
