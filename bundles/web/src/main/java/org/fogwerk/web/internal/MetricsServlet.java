package org.fogwerk.web.internal;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import javax.servlet.Servlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.exporter.common.TextFormat;

/** {@code GET /metrics}: the node's metrics in the Prometheus text format (or OpenMetrics when asked). */
@Component(service = Servlet.class, property = {
    "osgi.http.whiteboard.servlet.pattern=/metrics",
    "osgi.http.whiteboard.servlet.name=fogwerk-metrics"})
public final class MetricsServlet extends ReadOnlyServlet {

    private static final long serialVersionUID = 1L;
    // a registry of its own: the library's default registry is shared by every bundle of the JVM
    private final transient CollectorRegistry registry = new CollectorRegistry();

    @Activate
    public MetricsServlet(@Reference Node node, @Reference EventHub events, @Reference ShadowActivity shadows) {
        registry.register(new NodeCollector(node, events, shadows));
        registry.register(new JvmCollector());
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String type = TextFormat.chooseContentType(request.getHeader("Accept"));
        response.setStatus(200);
        response.setContentType(type);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("Vary", "Accept");
        try (Writer writer = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8)) {
            TextFormat.writeFormat(type, writer, registry.metricFamilySamples());
        }
    }

    /** The metrics as text in the classic Prometheus format, for tests and benchmarks. */
    String scrape() throws IOException {
        java.io.StringWriter w = new java.io.StringWriter();
        TextFormat.write004(w, registry.metricFamilySamples());
        return w.toString();
    }
}
