package org.fogwerk.web.internal;

import javax.servlet.http.HttpServletRequest;

/** Names shared by the HTTP components. */
final class WebConstants {

    /** The configuration PID of the REST API's settings. */
    static final String PID = "org.fogwerk.web";

    private WebConstants() {
    }

    /** The request's path inside the web container, without the context path, as it was sent. */
    static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context == null || context.isEmpty() || !uri.startsWith(context) ? uri : uri.substring(context.length());
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
        StringBuilder out = new StringBuilder(raw.length());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                if (bytes.size() > 0) {
                    out.append(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
                    bytes.reset();
                }
                out.append(c);
                continue;
            }
            if (i + 2 >= raw.length()) {
                return null;
            }
            int hi = Character.digit(raw.charAt(i + 1), 16);
            int lo = Character.digit(raw.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            bytes.write(hi << 4 | lo);
            i += 2;
        }
        if (bytes.size() > 0) {
            out.append(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
        String decoded = out.toString();
        if (!decoded.startsWith("/") || decoded.contains(";") || decoded.contains("\\") || decoded.contains("//")) {
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
