package org.fogwerk.support.glob;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A name pattern as users write it in route endpoints, event-stream filters and uplink settings:
 * {@code *} any run of characters, {@code ?} one character, a comma separates alternatives; every
 * other character stands for itself. No pattern, a blank one or {@code *} matches every name.
 */
public final class Glob {

    private static final Glob ALL = new Glob(null);

    private final Pattern pattern;
    /**
     * A matcher per calling thread, reset for each name: a pattern on the hot path is matched
     * against every value that passes, and a new matcher per value was most of what that cost.
     */
    private final ThreadLocal<Matcher> matcher;

    private Glob(Pattern pattern) {
        this.pattern = pattern;
        this.matcher = pattern == null ? null : ThreadLocal.withInitial(() -> pattern.matcher(""));
    }

    /** The pattern of {@code glob}; blank alternatives ({@code "a,,b"}) are left out. */
    public static Glob of(String glob) {
        if (glob == null) {
            return ALL;
        }
        StringBuilder re = new StringBuilder();
        for (String raw : glob.split(",")) {
            String alternative = raw.trim();
            if (alternative.equals("*")) {
                return ALL;
            }
            if (!alternative.isEmpty()) {
                append(re, alternative);
            }
        }
        return compile(re);
    }

    /**
     * One pattern, where a comma stands for itself: for names that may hold commas, such as the
     * identity of a client certificate ({@code CN=press,O=plant}).
     */
    public static Glob one(String glob) {
        if (glob == null || glob.isBlank() || glob.equals("*")) {
            return ALL;
        }
        StringBuilder re = new StringBuilder();
        append(re, glob);
        return compile(re);
    }

    private static void append(StringBuilder re, String alternative) {
        if (re.length() > 0) {
            re.append('|');
        }
        re.append("(?:");
        int literalStart = 0;
        for (int i = 0; i < alternative.length(); i++) {
            char c = alternative.charAt(i);
            if (c == '*' || c == '?') {
                if (i > literalStart) {
                    re.append(Pattern.quote(alternative.substring(literalStart, i)));
                }
                re.append(c == '*' ? ".*" : ".");
                literalStart = i + 1;
            }
        }
        if (literalStart < alternative.length()) {
            re.append(Pattern.quote(alternative.substring(literalStart)));
        }
        re.append(')');
    }

    private static Glob compile(StringBuilder re) {
        // a name with a line break in it (an audited identity, say) is still one name
        return re.length() == 0 ? ALL : new Glob(Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    /** Whether {@code glob} names at least one pattern, not only blanks and commas. */
    public static boolean isGiven(String glob) {
        return glob != null && !glob.replace(',', ' ').isBlank();
    }

    public boolean matchesAll() {
        return pattern == null;
    }

    /** {@code false} for a {@code null} name unless the pattern matches everything. */
    public boolean matches(String name) {
        return pattern == null || (name != null && matcher.get().reset(name).matches());
    }

    /** The regular expression the pattern became, {@code null} when it matches everything. */
    public Pattern pattern() {
        return pattern;
    }

    @Override
    public String toString() {
        return pattern == null ? "*" : pattern.pattern();
    }
}
