package org.fogwerk.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.framework.BundleContext;

/**
 * A servlet of static files from this bundle and from webjar bundles, so its pages work on a
 * node without internet access. The files hold no data.
 */
abstract class BundleFileServlet extends ReadOnlyServlet {

    private static final long serialVersionUID = 1L;

    final transient BundleContext context;
    /** Content types by file extension. */
    private final transient Map<String, String> types;

    BundleFileServlet(BundleContext context, Map<String, String> types) {
        this.context = context;
        this.types = types;
    }

    /**
     * Answers 404 with {@code message}, saying so when the file would come from the bundle
     * {@code webjar} and that is not installed; {@code webjar} null for a file of this bundle.
     */
    final void notFound(HttpServletRequest request, HttpServletResponse response, String message, String webjar)
            throws IOException {
        boolean missing = webjar != null && Webjars.bundle(context, webjar) == null;
        Problems.write(request, response, 404,
                message + (missing ? " (the bundle " + webjar + " is not installed)" : ""), null);
    }

    /**
     * Answers 200 with the file {@code file} at {@code url}, typed by its extension, with
     * {@code Cache-Control} and the other {@code headers} given.
     */
    final void send(HttpServletResponse response, String file, URL url, String cacheControl,
            Map<String, String> headers) throws IOException {
        String ext = file.substring(file.lastIndexOf('.') + 1);
        response.setStatus(200);
        response.setContentType(types.getOrDefault(ext, "application/octet-stream"));
        response.setHeader("Cache-Control", cacheControl);
        headers.forEach(response::setHeader);
        try (InputStream in = url.openStream()) {
            in.transferTo(response.getOutputStream());
        }
    }
}
