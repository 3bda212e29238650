package org.fogwerk.web.internal;

import java.io.IOException;

import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * A resource that is only read: GET and HEAD answer, OPTIONS names them, and any other method is
 * a 405 with {@code Allow} (RFC 9110) as a problem document, as the API answers it.
 */
abstract class ReadOnlyServlet extends GuardedServlet {

    private static final long serialVersionUID = 1L;

    static final String ALLOW = "GET, HEAD, OPTIONS";

    /** Whether the request names a resource of this servlet; OPTIONS elsewhere is a 404, as a GET would be. */
    boolean exists(HttpServletRequest request) {
        return true;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String method = request.getMethod();
        if ("GET".equals(method) || "HEAD".equals(method)) {
            super.service(request, response);
            return;
        }
        if ("OPTIONS".equals(method) && !exists(request)) {
            Problems.write(request, response, 404, "no resource at " + WebConstants.path(request), null);
            return;
        }
        response.setHeader("Allow", ALLOW);
        if ("OPTIONS".equals(method)) {
            response.setStatus(204);
            return;
        }
        Problems.write(request, response, 405, method + " is not allowed here; allowed: " + ALLOW, null);
    }
}
