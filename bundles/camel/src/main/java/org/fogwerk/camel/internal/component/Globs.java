package org.fogwerk.camel.internal.component;

import java.util.regex.Pattern;

/** Shell-style patterns for endpoint options: {@code *} any run of characters, {@code ?} one, a comma separates alternatives. */
final class Globs {

    private Globs() {
    }

    /** {@code null} when the pattern matches everything, so callers can skip the match. */
    static Pattern compile(String glob) {
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
        return Pattern.compile(re.toString());
    }

    static boolean matches(Pattern pattern, String text) {
        return pattern == null || (text != null && pattern.matcher(text).matches());
    }
}
