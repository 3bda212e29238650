package org.fogwerk.web.internal;

/** A request the API refuses, with the HTTP status, why, and the field or parameter at fault. */
final class ApiException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String field;
    private final String allow;
    private final long retryAfter;

    ApiException(int status, String detail) {
        this(status, detail, null);
    }

    ApiException(int status, String detail, String field) {
        this(status, detail, field, null, 0);
    }

    private ApiException(int status, String detail, String field, String allow, long retryAfter) {
        super(detail, null, false, false);
        this.status = status;
        this.field = field;
        this.allow = allow;
        this.retryAfter = retryAfter;
    }

    int status() {
        return status;
    }

    /** The request field, path segment or parameter at fault, or {@code null}. */
    String field() {
        return field;
    }

    /** 405, with the methods the resource has for the {@code Allow} header. */
    static ApiException methodNotAllowed(String method, String allowed) {
        // what answers GET answers HEAD (RFC 9110)
        String all = (allowed.startsWith("GET") && !allowed.contains("HEAD") ? allowed.replaceFirst("GET", "GET, HEAD")
                : allowed) + ", OPTIONS";
        return new ApiException(405, method + " is not allowed here; allowed: " + all, null, all, 0);
    }

    /** The methods the resource has, for a 405; {@code null} otherwise. */
    String allow() {
        return allow;
    }

    /** 503 for now: the client may ask again in that many seconds, for the {@code Retry-After} header. */
    static ApiException busy(String detail, long retryAfterSeconds) {
        return new ApiException(503, detail, null, null, Math.max(1, retryAfterSeconds));
    }

    /** Seconds after which the client may ask again, for {@code Retry-After}; 0 when not said. */
    long retryAfter() {
        return retryAfter;
    }

    static ApiException notFound(String detail) {
        return new ApiException(404, detail);
    }

    static ApiException badRequest(String detail, String field) {
        return new ApiException(400, detail, field);
    }

    static ApiException unavailable(String what) {
        return new ApiException(503, what + " not available");
    }
}
