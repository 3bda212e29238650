package org.fogwerk.api.authority;

import java.util.List;

/**
 * The write policy in force.
 *
 * @param origin the file (or configuration) it came from, {@code defaults} without one
 * @param error  why the last change of that file was not taken (file, line, reason); empty when it was
 * @param rules  one line per source: its allow and deny globs, create, calls, updates
 */
public record PolicyStatus(String origin, String error, List<String> rules) {

    public PolicyStatus {
        origin = origin == null ? "" : origin;
        error = error == null ? "" : error;
        rules = rules == null ? List.of() : List.copyOf(rules);
    }
}
