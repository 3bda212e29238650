package org.fogwerk.camel.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.fogwerk.camel.internal.component.TestNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rows of {@code fogwerk:route-list}, the REST API and the metrics. */
class RouteRowsTest {

    @TempDir
    Path dir;

    @Test
    void resultsNoRouteReadsAreARowWithWhatWasLost() throws Exception {
        try (TestNode node = new TestNode(dir.resolve("shadow"))) {
            node.camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:in").routeId("feeder").to("fogwerk:edge/batch?size=2&linger=1h");
                }
            });
            ProducerTemplate template = node.camel.createProducerTemplate();
            for (int i = 0; i < 5; i++) {
                template.sendBody("direct:in", i);
            }
            RouteStats stats = new RouteStats();
            RouteFiles files = new RouteFiles(node.camel, Files.createDirectories(dir.resolve("routes")), stats);
            List<RouteCatalog.Row> rows = RouteRows.of(node.camel, files, List.of(), stats);

            RouteCatalog.Row lost = rows.stream().filter(r -> r.state().equals("No reader")).findFirst()
                    .orElseThrow(() -> new AssertionError(rows.toString()));
            assertTrue(lost.origin().contains("edge/batch"), lost.origin());
            assertEquals(2, lost.overflow(), "two full batches of two were lost, the fifth value still waits");
            assertEquals("no route reads its results (a route from the same URI): 2 lost", lost.lastError());
            assertTrue(rows.stream().anyMatch(r -> r.routeId().equals("feeder") && r.overflow() == 0), rows.toString());
        }
    }
}
