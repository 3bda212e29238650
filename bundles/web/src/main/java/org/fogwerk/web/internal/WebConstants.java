package org.fogwerk.web.internal;

import java.net.URI;
import java.net.URISyntaxException;

import javax.servlet.http.HttpServletRequest;

/** Names shared by the HTTP components. */
final class WebConstants {

    /** The configuration PID of the REST API's settings. */
    static final String PID = "org.fogwerk.web";
    /** The file of the REST API's settings, as users name it. */
    static final String FILE = "etc/" + PID + ".cfg";

    private WebConstants() {
    }

    /** The request's path inside the web container, without the context path, as it was sent. */
    static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context == null || context.isEmpty() || !uri.startsWith(context) ? uri : uri.substring(context.length());
    }

    /**
     * A query parameter of the request, {@code null} when absent. A query string the container
     * cannot decode (a {@code %} not followed by two hex digits, bytes that are not UTF-8) is the
     * client's mistake, a 400 about the query, not a failure of the node.
     */
    static String parameter(HttpServletRequest request, String name) throws ApiException {
        try {
            return request.getParameter(name);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("the query string is not percent-encoded UTF-8: "
                    + request.getQueryString(), "query");
        }
    }

    /**
     * The path a request reaches, percent-decoded, as the container resolves it to a servlet; or
     * {@code null} when it is not written plainly: a dot segment ({@code /../}, {@code /./}), an
     * empty segment ({@code //}), a path parameter ({@code ;}), or an encoding that does not
     * decode. The container would resolve such a path to another resource than the one it
     * names, so what the login and the roles decide on would not be what is served.
     */
    static String plainPath(HttpServletRequest request) {
        String raw = path(request);
        if (!raw.startsWith("/") || raw.contains("//")) {
            return null; // also: "//host/..." would parse as an authority
        }
        if (raw.contains("%2F") || raw.contains("%2f")) {
            return null; // an encoded '/' is data, not a separator (RFC 3986 2.2): no name holds one
        }
        String decoded;
        try {
            decoded = new URI(raw).getPath(); // percent-decoded; a broken encoding does not parse
        } catch (URISyntaxException e) {
            return null;
        }
        // U+FFFD: what the decoder made of bytes that are not UTF-8 (%ff)
        if (decoded == null || decoded.contains(";") || decoded.contains("\\") || decoded.contains("//")
                || decoded.indexOf('\uFFFD') >= 0) {
            return null;
        }
        for (String segment : decoded.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return null;
            }
        }
        return decoded;
    }
}
