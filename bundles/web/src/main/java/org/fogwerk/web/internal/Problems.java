package org.fogwerk.web.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Writes errors as {@code application/problem+json} (RFC 9457): status, a title, what went wrong
 * in words, the request path, and the field at fault. Never a stack trace.
 */
final class Problems {

    static final String CONTENT_TYPE = "application/problem+json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Problems() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response, ApiException e) throws IOException {
        if (e.retryAfter() > 0 && !response.isCommitted()) {
            response.setHeader("Retry-After", Long.toString(e.retryAfter()));
        }
        write(request, response, e.status(), e.getMessage(), e.field());
    }

    static void write(HttpServletRequest request, HttpServletResponse response, int status, String detail,
            String field) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        if (status == 429) {
            response.setHeader("Retry-After", "5"); // RFC 6585: how long to wait before asking again
        }
        Responses.send(response, status, CONTENT_TYPE, bytes(status, detail, field, request.getRequestURI()));
    }

    static Map<String, Object> body(int status, String detail, String field, String instance) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title(status));
        problem.put("status", status);
        problem.put("detail", detail);
        if (instance != null) {
            problem.put("instance", instance);
        }
        if (field != null) {
            problem.put("field", field);
        }
        return problem;
    }

    static byte[] bytes(int status, String detail, String field, String instance) {
        try {
            return MAPPER.writeValueAsBytes(body(status, detail, field, instance));
        } catch (IOException e) {
            return ("{\"status\":" + status + "}").getBytes(StandardCharsets.UTF_8);
        }
    }

    static String title(int status) {
        switch (status) {
            case 400: return "Bad Request";
            case 401: return "Unauthorized";
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 409: return "Conflict";
            case 412: return "Precondition Failed";
            case 413: return "Content Too Large";
            case 415: return "Unsupported Media Type";
            case 429: return "Too Many Requests";
            case 502: return "Bad Gateway";
            case 503: return "Service Unavailable";
            case 504: return "Gateway Timeout";
            default: return status >= 500 ? "Internal Server Error" : "Error";
        }
    }
}
