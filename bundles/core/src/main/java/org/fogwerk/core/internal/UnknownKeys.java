package org.fogwerk.core.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Which keys of a configuration its component does not know, and the known key each was most
 * likely meant to be: a misspelt key is otherwise silently ignored and its default used.
 */
final class UnknownKeys {

    /** Keys Configuration Admin, FileInstall, DS and Karaf put into every configuration. */
    private static final List<String> FRAMEWORK_PREFIXES = List.of("service.", "felix.", "component.",
            "org.apache.karaf.", "osgi.");

    private UnknownKeys() {
    }

    /**
     * One warning per unknown key, naming the source, the key and the nearest known key.
     *
     * @param source the file (or PID) the keys come from
     * @param pid    the PID whose keys {@code config:meta} lists
     * @param keys   the keys of the configuration
     * @param known  the attribute ids of the component's metatype
     * @param open   prefixes of keys the component reads beyond its metatype; {@code *} for any
     */
    static List<String> warnings(String source, String pid, Collection<String> keys, Collection<String> known,
            Collection<String> open) {
        if (open.contains("*")) {
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (String key : new TreeSet<>(keys)) {
            if (known.contains(key) || framework(key) || open.stream().anyMatch(p -> !p.isEmpty() && key.startsWith(p))) {
                continue;
            }
            Optional<String> nearest = nearest(key, known);
            result.add(source + ": unknown key '" + key + "' is ignored"
                    + nearest.map(n -> "; did you mean '" + n + "'?")
                            .orElse("; the known keys: config:meta " + pid));
        }
        return result;
    }

    static boolean framework(String key) {
        return FRAMEWORK_PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** The known key at the smallest edit distance, when it is close enough to be a slip. */
    static Optional<String> nearest(String key, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : new TreeSet<>(known)) {
            int d = distance(key.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        int allowed = Math.max(2, key.length() / 3);
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
