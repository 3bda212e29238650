package org.fogwerk.web.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.FilterChain;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.Cookie;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Servlet requests and responses without a container: only what the node's servlets use. */
final class FakeHttp {

    static final ObjectMapper MAPPER = new ObjectMapper();

    /** A request to build. */
    static final class Request {
        final String method;
        final String uri;
        String servletPath = "";
        final Map<String, String> headers = new HashMap<>();
        final Map<String, List<String>> repeated = new HashMap<>();
        final Map<String, String> params = new HashMap<>();
        /** The query string as sent, null without one. */
        String query;
        final Map<String, Object> attributes = new HashMap<>();
        final List<Cookie> cookies = new ArrayList<>();
        byte[] body = new byte[0];
        String remote = "127.0.0.1";
        /** The node's address the request came in on. */
        String local = "127.0.0.1";
        boolean secure;

        Request(String method, String uri) {
            this.method = method;
            int q = uri.indexOf('?');
            this.uri = q < 0 ? uri : uri.substring(0, q);
            this.query = q < 0 ? null : uri.substring(q + 1);
        }

        /** A parameter of the query, percent-decoded as the container does, which throws when it cannot. */
        private String parameter(String name) {
            if (query == null) {
                return params.get(name);
            }
            for (String kv : query.split("&")) {
                String[] p = kv.split("=", 2);
                String key = java.net.URLDecoder.decode(p[0], StandardCharsets.UTF_8);
                String value = java.net.URLDecoder.decode(p.length > 1 ? p[1] : "", StandardCharsets.UTF_8);
                params.putIfAbsent(key, value);
            }
            return params.get(name);
        }

        Request servlet(String path) {
            servletPath = path;
            return this;
        }

        /** The client's address, and whether it came over HTTPS. */
        Request from(String address, boolean https) {
            remote = address;
            secure = https;
            return this;
        }

        /** The node's own address the request came in on. */
        Request to(String address) {
            local = address;
            return this;
        }

        Request header(String name, String value) {
            headers.put(name.toLowerCase(), value);
            repeated.computeIfAbsent(name.toLowerCase(), k -> new java.util.ArrayList<>()).add(value);
            return this;
        }

        Request json(String json) {
            body = json.getBytes(StandardCharsets.UTF_8);
            return header("Content-Type", "application/json");
        }

        Request basic(String user, String password) {
            return header("Authorization", "Basic " + java.util.Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }

        Request user(WebUser user) {
            attributes.put(AuthFilter.USER_ATTRIBUTE, user);
            return this;
        }

        HttpServletRequest build() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            ServletInputStream stream = new ServletInputStream() {
                @Override public int read() { return in.read(); }
                @Override public int read(byte[] b, int off, int len) { return in.read(b, off, len); }
                @Override public boolean isFinished() { return in.available() == 0; }
                @Override public boolean isReady() { return true; }
                @Override public void setReadListener(ReadListener l) { }
            };
            return (HttpServletRequest) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                    new Class<?>[] {HttpServletRequest.class}, (proxy, m, args) -> {
                        switch (m.getName()) {
                            case "getMethod": return method;
                            case "getRequestURI": return uri;
                            case "getContextPath": return "";
                            case "getServletPath": return servletPath;
                            case "getPathInfo": {
                                String rest = uri.substring(servletPath.length());
                                return rest.isEmpty() ? null : rest;
                            }
                            case "getHeader": return headers.get(((String) args[0]).toLowerCase());
                            case "getHeaders": return java.util.Collections.enumeration(
                                    repeated.getOrDefault(((String) args[0]).toLowerCase(), List.of()));
                            case "getParameter": return parameter((String) args[0]);
                            case "getQueryString": return query;
                            case "getAttribute": return attributes.get((String) args[0]);
                            case "setAttribute": attributes.put((String) args[0], args[1]); return null;
                            case "getCookies": return cookies.isEmpty() ? null : cookies.toArray(new Cookie[0]);
                            case "isSecure": return secure;
                            case "getRemoteAddr": return remote;
                            case "getLocalAddr": return local;
                            case "getContentType": return headers.get("content-type");
                            case "getContentLengthLong": return body.length == 0 ? -1L : (long) body.length;
                            case "getContentLength": return body.length == 0 ? -1 : body.length;
                            case "getInputStream": return stream;
                            case "toString": return method + " " + uri;
                            default: throw new UnsupportedOperationException(m.getName());
                        }
                    });
        }
    }

    /** A response that keeps what was written. */
    static final class Response {
        int status = 200;
        String contentType;
        final Map<String, List<String>> headers = new LinkedHashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        HttpServletResponse build() {
            ServletOutputStream stream = new ServletOutputStream() {
                @Override public void write(int b) { body.write(b); }
                @Override public void write(byte[] b, int off, int len) { body.write(b, off, len); }
                @Override public boolean isReady() { return true; }
                @Override public void setWriteListener(WriteListener l) { }
            };
            return (HttpServletResponse) Proxy.newProxyInstance(FakeHttp.class.getClassLoader(),
                    new Class<?>[] {HttpServletResponse.class}, (proxy, m, args) -> {
                        switch (m.getName()) {
                            case "setStatus": status = (Integer) args[0]; return null;
                            case "flushBuffer": return null;
                            case "getStatus": return status;
                            case "setContentType": contentType = (String) args[0]; return null;
                            case "getContentType": return contentType;
                            case "setHeader": headers.put((String) args[0], new ArrayList<>(List.of((String) args[1]))); return null;
                            case "addHeader": headers.computeIfAbsent((String) args[0], k -> new ArrayList<>()).add((String) args[1]); return null;
                            case "getHeader": {
                                List<String> v = headers.get((String) args[0]);
                                return v == null ? null : v.get(0);
                            }
                            case "getOutputStream": return stream;
                            case "containsHeader": return headers.containsKey((String) args[0]);
                            case "isCommitted": return false;
                            case "resetBuffer": body.reset(); return null;
                            case "setContentLength":
                            case "setContentLengthLong":
                            case "setCharacterEncoding": return null;
                            case "toString": return "response " + status;
                            default: throw new UnsupportedOperationException(m.getName());
                        }
                    });
        }

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }

        JsonNode json() throws Exception {
            return MAPPER.readTree(body.toByteArray());
        }

        String header(String name) {
            List<String> v = headers.get(name);
            return v == null ? null : v.get(0);
        }

        /** The session id the {@code Set-Cookie} header of a login sets, or {@code null}. */
        String sessionId() {
            String cookie = header("Set-Cookie");
            if (cookie == null || !cookie.startsWith(Sessions.COOKIE + "=")) {
                return null;
            }
            return cookie.substring(Sessions.COOKIE.length() + 1, cookie.indexOf(';'));
        }
    }

    /** A filter chain that remembers whether it was reached. */
    static final class Chain implements FilterChain {
        boolean reached;
        HttpServletRequest request;

        @Override
        public void doFilter(javax.servlet.ServletRequest req, javax.servlet.ServletResponse res) {
            reached = true;
            request = (HttpServletRequest) req;
        }
    }

    private FakeHttp() {
    }
}
