package org.fogwerk.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

class ConsoleServletTest {

    /** A container without the uPlot webjar. */
    private final BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {BundleContext.class}, (proxy, m, args) -> {
                if (m.getName().equals("getBundles")) {
                    return new Bundle[0];
                }
                throw new UnsupportedOperationException(m.getName());
            });
    private final ConsoleServlet servlet = new ConsoleServlet(context);

    private FakeHttp.Response get(String path) throws Exception {
        FakeHttp.Response response = new FakeHttp.Response();
        servlet.doGet(new FakeHttp.Request("GET", path).build(), response.build());
        return response;
    }

    @Test
    void servesThePageAndItsFilesFromTheBundle() throws Exception {
        FakeHttp.Response page = get("/");
        assertEquals(200, page.status);
        assertEquals("text/html;charset=UTF-8", page.contentType);
        assertTrue(page.text().contains("/console/app.js"));
        assertTrue(page.text().contains("<link rel=\"icon\" href=\"data:,\">"),
                "the browser asks for no /favicon.ico before the login, which would answer 401");
        assertEquals("no-cache", page.header("Cache-Control"));
        assertTrue(page.header("Content-Security-Policy").startsWith("default-src 'self'"));

        FakeHttp.Response script = get("/console/app.js");
        assertEquals(200, script.status);
        assertEquals("text/javascript;charset=UTF-8", script.contentType);
        assertTrue(script.text().contains("/api/v1/events"));
        assertEquals("text/css;charset=UTF-8", get("/console/console.css").contentType);
    }

    @Test
    void answersAProblemForWhatItDoesNotHave() throws Exception {
        for (String path : new String[] {"/console/../ConsoleServlet.class", "/console/nothing.js", "/wp-admin", "/console/"}) {
            FakeHttp.Response r = get(path);
            assertEquals(404, r.status, path);
            assertEquals(Problems.CONTENT_TYPE, r.contentType);
            assertTrue(r.json().get("detail").asText().contains("the console is at /"), path);
        }
        // OPTIONS as GET: where there is nothing, a 404; where there is a file, what it takes
        FakeHttp.Response options = new FakeHttp.Response();
        servlet.service(new FakeHttp.Request("OPTIONS", "/wp-admin").build(), options.build());
        assertEquals(404, options.status);
        FakeHttp.Response page = new FakeHttp.Response();
        servlet.service(new FakeHttp.Request("OPTIONS", "/console/app.js").build(), page.build());
        assertEquals(204, page.status);
        assertEquals("GET, HEAD, OPTIONS", page.header("Allow"));
        FakeHttp.Response vendor = get("/console/vendor/uplot/dist/uPlot.esm.js");
        assertEquals(404, vendor.status);
        assertTrue(vendor.json().get("detail").asText().contains("the bundle org.webjars.npm.uplot is not installed"));
    }
}
