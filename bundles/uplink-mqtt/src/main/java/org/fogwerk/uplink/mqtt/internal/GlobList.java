package org.fogwerk.uplink.mqtt.internal;

import org.fogwerk.support.config.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Comma-separated glob patterns ({@code *} any text, {@code ?} one character). */
public final class GlobList {

    private final List<Pattern> patterns;
    private final boolean all;

    private GlobList(List<Pattern> patterns, boolean all) {
        this.patterns = patterns;
        this.all = all;
    }

    static GlobList parse(String key, String text) throws InvalidConfigurationException {
        List<Pattern> patterns = new ArrayList<>();
        boolean all = false;
        for (String raw : text.split(",")) {
            String glob = raw.trim();
            if (glob.isEmpty()) {
                continue;
            }
            if (glob.equals("*")) {
                all = true;
            }
            StringBuilder re = new StringBuilder();
            for (char c : glob.toCharArray()) {
                if (c == '*') {
                    re.append(".*");
                } else if (c == '?') {
                    re.append('.');
                } else {
                    re.append(Pattern.quote(String.valueOf(c)));
                }
            }
            patterns.add(Pattern.compile(re.toString()));
        }
        if (patterns.isEmpty()) {
            throw new InvalidConfigurationException(null, key, "no pattern given (use * for everything)");
        }
        return new GlobList(List.copyOf(patterns), all);
    }

    public boolean matches(String name) {
        if (all) {
            return true;
        }
        for (Pattern p : patterns) {
            if (p.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Matches the tag name or {@code connection/tag}; the latter is built only when needed. */
    public boolean matchesTag(String connection, String tag) {
        return all || matches(tag) || matches(connection + "/" + tag);
    }
}
