package org.fogwerk.web.internal;

import java.io.IOException;
import java.net.URL;
import java.util.Map;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Swagger UI at {@code /api/docs}, over {@code /api/v1/openapi.json}: the page and its start
 * script from this bundle, Swagger UI's files from the {@code org.webjars:swagger-ui} bundle,
 * so the docs work on a node without internet access.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/api/docs/*",
    "osgi.http.whiteboard.servlet.name=fogwerk-docs"})
public final class DocsServlet extends BundleFileServlet {

    private static final long serialVersionUID = 1L;

    static final String WEBJAR = "org.webjars.swagger-ui";
    private static final Map<String, String> TYPES = Map.of("css", "text/css", "js", "application/javascript",
            "html", "text/html;charset=UTF-8", "png", "image/png");

    @Activate
    public DocsServlet(BundleContext context) {
        super(context, TYPES);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String file = request.getPathInfo() == null || request.getPathInfo().equals("/") ? "docs.html"
                : request.getPathInfo().substring(1);
        if (file.contains("/") || file.contains("..")) {
            notFound(request, response, "no file '" + file + "' in the API docs", null);
            return;
        }
        URL url = file.equals("docs.html") || file.equals("fogwerk-docs.js") ? DocsServlet.class.getResource(file)
                : Webjars.entry(context, WEBJAR, "swagger-ui", file);
        if (url == null) {
            notFound(request, response, "no file '" + file + "' in the API docs", WEBJAR);
            return;
        }
        send(response, file, url, "max-age=3600", Map.of());
    }
}
