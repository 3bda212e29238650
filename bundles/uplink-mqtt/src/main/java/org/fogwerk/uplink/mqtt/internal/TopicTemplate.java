package org.fogwerk.uplink.mqtt.internal;

import org.fogwerk.support.config.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A topic with {placeholders}, parsed once, rendered per value without regular expressions. */
final class TopicTemplate {

    static final Set<String> ALL = Set.of("node", "connection", "thing", "tag");

    private final String source;
    /** Literal text and placeholder names alternate: even indexes literal, odd names. */
    private final String[] parts;

    private TopicTemplate(String source, String[] parts) {
        this.source = source;
        this.parts = parts;
    }

    /** Parses a template; {@code allowed} placeholders only, {@code +} only where {@code wildcardLast} allows it. */
    static TopicTemplate parse(String key, String template, Set<String> allowed, boolean wildcardLast)
            throws InvalidConfigurationException {
        if (template == null || template.isBlank()) {
            throw new InvalidConfigurationException(null, key, "must not be empty");
        }
        if (template.indexOf('#') >= 0) {
            throw new InvalidConfigurationException(null, key, "'#' is not allowed in '" + template + "'");
        }
        int plus = template.indexOf('+');
        if (plus >= 0) {
            boolean lastLevel = wildcardLast && plus == template.length() - 1
                    && (plus == 0 || template.charAt(plus - 1) == '/');
            if (!lastLevel) {
                throw new InvalidConfigurationException(null, key, wildcardLast ? "'+' is allowed only as the whole last level in '" + template + "'"
                        : "'+' is not allowed in '" + template + "'");
            }
        } else if (wildcardLast) {
            throw new InvalidConfigurationException(null, key, "the last level must be '+' (it names the thing) in '" + template + "'");
        }
        if (template.startsWith("$")) {
            throw new InvalidConfigurationException(null, key, "topics starting with '$' are reserved: '" + template + "'");
        }
        List<String> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int end = template.indexOf('}', i);
                if (end < 0) {
                    throw new InvalidConfigurationException(null, key, "unclosed '{' at position " + (i + 1) + " in '" + template + "'");
                }
                String name = template.substring(i + 1, end);
                if (!allowed.contains(name)) {
                    throw new InvalidConfigurationException(null, key, "unknown placeholder {" + name + "} in '" + template
                            + "' (known: " + String.join(", ", sorted(allowed)) + ")");
                }
                parts.add(literal.toString());
                parts.add(name);
                literal.setLength(0);
                i = end + 1;
            } else if (c == '}') {
                throw new InvalidConfigurationException(null, key, "unmatched '}' at position " + (i + 1) + " in '" + template + "'");
            } else {
                literal.append(c);
                i++;
            }
        }
        parts.add(literal.toString());
        return new TopicTemplate(template, parts.toArray(new String[0]));
    }

    private static List<String> sorted(Set<String> names) {
        List<String> list = new ArrayList<>(names);
        list.sort(null);
        return list;
    }

    boolean uses(String placeholder) {
        for (int i = 1; i < parts.length; i += 2) {
            if (parts[i].equals(placeholder)) {
                return true;
            }
        }
        return false;
    }

    String render(String node, String connection, String thing, String tag) {
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < parts.length; i++) {
            if ((i & 1) == 0) {
                sb.append(parts[i]);
            } else {
                String v;
                switch (parts[i]) {
                    case "node": v = node; break;
                    case "connection": v = connection; break;
                    case "thing": v = thing; break;
                    default: v = tag; break;
                }
                appendSafe(sb, v == null ? "" : v);
            }
        }
        return sb.toString();
    }

    /**
     * Values must not turn into wildcards, nor carry control characters, which MQTT clients
     * refuse to encode in a topic.
     */
    private static void appendSafe(StringBuilder sb, String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            sb.append(c == '+' || c == '#' || Character.isISOControl(c) ? '_' : c);
        }
    }

    /**
     * Why a topic cannot be published (a control character or a lone surrogate, which the MQTT
     * client refuses while it writes to the connection, dropping the connection), or null.
     */
    static String unpublishable(String topic) {
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (Character.isISOControl(c)) {
                return String.format("the topic holds the control character U+%04X at %d", (int) c, i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < topic.length() && Character.isLowSurrogate(topic.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("the topic holds a lone surrogate U+%04X at %d", (int) c, i);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return source;
    }
}
