package org.fogwerk.web.internal;

import java.util.Arrays;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * HTTP conditional requests on shadows (RFC 9110, section 13), with the shadow's version as its
 * entity tag: a GET answers {@code ETag: "7"}, {@code If-None-Match: "7"} gets 304, and an update or
 * delete with {@code If-Match} whose tags name no current version is refused with 412 before
 * anything changes, so a client using HTTP's optimistic concurrency never overwrites a change it
 * has not seen.
 */
final class Preconditions {

    private Preconditions() {
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** Sets the shadow's tag; true when the client already has this version ({@code If-None-Match}). */
    static boolean notModified(HttpServletRequest request, HttpServletResponse response, long version) {
        response.setHeader("ETag", etag(version));
        String none = request.getHeader("If-None-Match");
        if (none != null && matches(none, version)) {
            response.setStatus(304);
            return true;
        }
        return false;
    }

    /**
     * Refuses a change whose {@code If-Match} names no current version of the shadow.
     *
     * @param version the shadow's version, null when it does not exist
     */
    static void check(HttpServletRequest request, Long version) throws ApiException {
        String match = request.getHeader("If-Match");
        if (match == null) {
            return;
        }
        if (version == null || !matches(match, version)) {
            throw new ApiException(412, "If-Match " + match.strip() + ": the shadow is "
                    + (version == null ? "not there" : "at version " + etag(version)), "If-Match");
        }
    }

    /** Whether a list of entity tags ({@code *}, {@code "3", W/"4"}) names this version. */
    private static boolean matches(String header, long version) {
        String tag = etag(version);
        return Arrays.stream(header.split(",")).map(String::strip)
                .anyMatch(t -> t.equals("*") || t.equals(tag) || t.equals("W/" + tag));
    }
}
