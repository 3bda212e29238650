package org.fogwerk.web.internal;

import javax.servlet.http.HttpServletRequest;

/** Names shared by the HTTP components. */
final class WebConstants {

    /** The configuration PID of the REST API's settings. */
    static final String PID = "org.fogwerk.web";

    private WebConstants() {
    }

    /** The request's path inside the web container, without the context path. */
    static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context == null || context.isEmpty() || !uri.startsWith(context) ? uri : uri.substring(context.length());
    }
}
