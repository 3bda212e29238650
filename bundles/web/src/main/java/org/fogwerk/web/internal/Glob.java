package org.fogwerk.web.internal;

import java.util.regex.Pattern;

/** A name pattern with {@code *} (any run of characters) and {@code ?} (one character); absent matches all. */
final class Glob {

    private final Pattern pattern;

    private Glob(Pattern pattern) {
        this.pattern = pattern;
    }

    static Glob of(String glob) {
        if (glob == null || glob.isEmpty() || glob.equals("*")) {
            return new Glob(null);
        }
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("(?=[*?])|(?<=[*?])")) {
            if (part.equals("*")) {
                regex.append(".*");
            } else if (part.equals("?")) {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(part));
            }
        }
        return new Glob(Pattern.compile(regex.toString()));
    }

    boolean matchesAll() {
        return pattern == null;
    }

    boolean matches(String name) {
        return pattern == null || pattern.matcher(name).matches();
    }
}
