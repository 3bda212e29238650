package org.fogwerk.camel.internal.component;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A shell-style pattern of an endpoint option: {@code *} any run of characters, {@code ?} one, a comma separates alternatives. */
final class Glob {

    private final Pattern pattern;
    /**
     * A matcher per delivering thread, reset for each text: a route on the tag bus matches every value
     * that passes, and a new matcher per value was a large part of what such a route allocated.
     */
    private final ThreadLocal<Matcher> matcher;

    private Glob(Pattern pattern) {
        this.pattern = pattern;
        this.matcher = ThreadLocal.withInitial(() -> pattern.matcher(""));
    }

    /** {@code null} when the pattern matches everything, so callers can skip the match. */
    static Glob compile(String glob) {
        if (glob == null || glob.isBlank() || "*".equals(glob.trim())) {
            return null;
        }
        StringBuilder re = new StringBuilder();
        String[] alternatives = glob.split(",");
        for (int a = 0; a < alternatives.length; a++) {
            if (a > 0) {
                re.append('|');
            }
            re.append("(?:");
            String alt = alternatives[a].trim();
            int literalStart = 0;
            for (int i = 0; i < alt.length(); i++) {
                char c = alt.charAt(i);
                if (c == '*' || c == '?') {
                    if (i > literalStart) {
                        re.append(Pattern.quote(alt.substring(literalStart, i)));
                    }
                    re.append(c == '*' ? ".*" : ".");
                    literalStart = i + 1;
                }
            }
            if (literalStart < alt.length()) {
                re.append(Pattern.quote(alt.substring(literalStart)));
            }
            re.append(')');
        }
        return new Glob(Pattern.compile(re.toString()));
    }

    static boolean matches(Glob glob, String text) {
        return glob == null || (text != null && glob.matcher.get().reset(text).matches());
    }

    /** The regular expression the pattern became. */
    Pattern pattern() {
        return pattern;
    }
}
