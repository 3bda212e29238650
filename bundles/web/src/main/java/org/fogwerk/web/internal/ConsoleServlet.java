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
 * The web console: its page at {@code /}, its scripts and styles under {@code /console/} from
 * this bundle, uPlot under {@code /console/vendor/uplot/} from the {@code org.webjars.npm:uplot}
 * bundle. Everything is in the node, so the console works with no internet access. The files
 * hold no data: the console reads the node through the REST API, which checks the user.
 */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/",
    "osgi.http.whiteboard.servlet.name=fogwerk-console"})
public final class ConsoleServlet extends BundleFileServlet {

    private static final long serialVersionUID = 1L;

    static final String PREFIX = "/console/";
    static final String UPLOT_WEBJAR = "org.webjars.npm.uplot";
    private static final String VENDOR = PREFIX + "vendor/uplot/";
    private static final Map<String, String> TYPES = Map.of("css", "text/css;charset=UTF-8",
            "js", "text/javascript;charset=UTF-8", "html", "text/html;charset=UTF-8", "svg", "image/svg+xml",
            "png", "image/png");
    private static final Map<String, String> FILE_HEADERS = Map.of("X-Content-Type-Options", "nosniff");
    private static final Map<String, String> PAGE_HEADERS = Map.of("X-Content-Type-Options", "nosniff",
            "Content-Security-Policy", "default-src 'self'; img-src 'self' data:; "
                    + "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'");

    @Activate
    public ConsoleServlet(BundleContext context) {
        super(context, TYPES);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = WebConstants.path(request);
        String file = file(path);
        URL url = url(path);
        if (url == null) {
            notFound(request, response, "no page or file '" + path + "' on this node; the console is at /",
                    path.startsWith(VENDOR) ? UPLOT_WEBJAR : null);
            return;
        }
        boolean page = file.equals("index.html");
        // the page itself is always asked again, so a node update brings the matching scripts
        send(response, file, url, page ? "no-cache" : "max-age=300", page ? PAGE_HEADERS : FILE_HEADERS);
    }

    /** A resource answers OPTIONS only where it is: elsewhere 404, as its GET. */
    @Override
    boolean exists(HttpServletRequest request) {
        return url(WebConstants.path(request)) != null;
    }

    private static String file(String path) {
        if (path.equals("/") || path.equals("/index.html")) {
            return "index.html";
        }
        return path.startsWith(VENDOR) ? path.substring(VENDOR.length())
                : path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
    }

    /** The file a path names, null when there is none. */
    private URL url(String path) {
        String file = file(path);
        if (path.equals("/") || path.equals("/index.html")) {
            return resource(file);
        } else if (path.startsWith(VENDOR)) {
            return safe(file) ? Webjars.entry(context, UPLOT_WEBJAR, "uplot", file) : null;
        } else if (path.startsWith(PREFIX)) {
            return safe(file) && !file.contains("/") ? resource(file) : null;
        }
        return null;
    }

    private static boolean safe(String file) {
        return !file.isEmpty() && !file.contains("..") && !file.contains("\\") && file.indexOf('.') > 0;
    }

    private static URL resource(String file) {
        return ConsoleServlet.class.getResource("console/" + file);
    }
}
