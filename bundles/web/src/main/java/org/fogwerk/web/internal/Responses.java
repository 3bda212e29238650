package org.fogwerk.web.internal;

import java.io.IOException;

import javax.servlet.http.HttpServletResponse;

/** Writes a whole response body at once, never cached: every answer of the node is live state. */
final class Responses {

    static final String JSON = "application/json";

    private Responses() {
    }

    static void send(HttpServletResponse response, int status, String contentType, byte[] body) throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
