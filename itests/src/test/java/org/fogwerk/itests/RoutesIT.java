package org.fogwerk.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.replaceConfigurationFile;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.inject.Inject;
import javax.sql.DataSource;

import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.karaf.shell.api.console.Session;
import org.fogwerk.api.bus.TagBus;
import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Routing rules in the built distribution: route files dropped into etc/routes start, change,
 * break with file and line in fogwerk:route-list, recover and go away; Camel's own commands see
 * the node's context; and the MES/ERP samples of config/samples run against the machine's
 * PostgreSQL (database test, a schema of the test's own) with the simulated machines.
 */
@ExamReactorStrategy(PerClass.class)
public class RoutesIT extends InsideNode {

    private static final String SCHEMA = "fogwerk.it.schema";
    private static final Path SAMPLES = Paths.get("..", "config", "samples").toAbsolutePath().normalize();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    TagBus bus;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        String schema = "fogwerk_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String datasource = "etc/org.ops4j.datasource-mes.cfg";
        return new Option[] {
            NodeOptions.node(),
            // the MES samples as a user installs them, with short periods and the test's own schema
            replaceConfigurationFile("etc/org.fogwerk.thing-press01.cfg",
                    SAMPLES.resolve("etc/org.fogwerk.thing-press01.cfg").toFile()),
            replaceConfigurationFile("etc/org.fogwerk.thing-mill01.cfg",
                    SAMPLES.resolve("etc/org.fogwerk.thing-mill01.cfg").toFile()),
            editConfigurationFilePut("etc/org.fogwerk.camel.cfg", "mes.summary.period", "2000"),
            editConfigurationFilePut("etc/org.fogwerk.camel.cfg", "mes.workorders.period", "500"),
            editConfigurationFilePut(datasource, "osgi.jdbc.driver.class", "org.postgresql.Driver"),
            editConfigurationFilePut(datasource, "url", "jdbc:postgresql://127.0.0.1:5432/test?currentSchema=" + schema),
            editConfigurationFilePut(datasource, "user", "postgres"),
            editConfigurationFilePut(datasource, "dataSourceName", "mes"),
            editConfigurationFilePut(datasource, "pool", "dbcp2"),
            editConfigurationFilePut(datasource, "xa", "false"),
            org.ops4j.pax.exam.CoreOptions.systemProperty(SCHEMA).value(schema),
            org.ops4j.pax.exam.CoreOptions.systemProperty("fogwerk.it.samples").value(SAMPLES.toString()),
        };
    }

    @Test
    public void aRouteFileStartsChangesBreaksRecoversAndGoes() throws Exception {
        Path routes = Paths.get(System.getProperty("karaf.etc"), "routes");
        Files.createDirectories(routes);
        await().atMost(WAIT).ignoreExceptions().until(() -> execute("fogwerk:route-list").contains("Route"));
        await().atMost(WAIT).until(() -> notActive().isEmpty());
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();

        place(routes, "it-echo.xml", echo("v1"));
        await().atMost(WAIT).ignoreExceptions().until(() -> "v1".equals(reported("it-echo", "version")));
        System.out.printf("RoutesIT: JVM start to the first route file's route running: %d ms, %d bundles%n",
                System.currentTimeMillis() - jvmStart, context.getBundles().length);
        assertTrue(rowOf(execute("fogwerk:route-list"), "it-echo").contains("| etc/routes/it-echo.xml:3 "));
        assertTrue(execute("camel:route-list"), execute("camel:route-list").contains("it-echo"));

        long edited = System.nanoTime();
        place(routes, "it-echo.xml", echo("v2"));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
                .until(() -> "v2".equals(reported("it-echo", "version")));
        System.out.printf("RoutesIT: edit to new route running: %d ms%n", (System.nanoTime() - edited) / 1_000_000);

        // broken XML: the error names file and line, the previous version keeps running
        place(routes, "it-echo.xml", echo("v3").replace("</setBody>", ""));
        await().atMost(WAIT).until(() -> rowOf(execute("fogwerk:route-list"), "it-echo").contains("it-echo.xml:8: Unexpected element"));
        shadows.update("it-echo", "", "{\"state\":{\"reported\":{\"version\":\"seen\"}}}".getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT).ignoreExceptions().until(() -> "v2".equals(reported("it-echo", "version")));

        // an unknown endpoint in one file, a route that throws on every message in another
        place(routes, "it-unknown.xml", "<routes xmlns=\"http://camel.apache.org/schema/spring\">\n"
                + "  <route id=\"it-unknown\">\n    <from uri=\"timer:u?period=200\"/>\n"
                + "    <to uri=\"nosuch:place\"/>\n  </route>\n</routes>\n");
        place(routes, "it-throws.xml", "<routes xmlns=\"http://camel.apache.org/schema/spring\">\n"
                + "  <route id=\"it-throws\">\n    <from uri=\"timer:t?period=100\"/>\n"
                + "    <throwException exceptionType=\"java.lang.IllegalStateException\" message=\"no recipe\"/>\n"
                + "  </route>\n</routes>\n");
        await().atMost(WAIT).until(() -> execute("fogwerk:route-list").contains("it-unknown.xml:4: endpoint 'nosuch:place'"));
        await().atMost(WAIT).until(() -> rowOf(execute("fogwerk:route-list"), "it-throws")
                .contains("it-throws.xml:4 (throwException): IllegalStateException: no recipe"));
        System.out.println(execute("fogwerk:route-list"));
        assertTrue(rowOf(execute("fogwerk:route-list"), "it-throws").contains("Started"));

        // fixed: the new version runs and the error is gone; deleted: the routes stop and go
        place(routes, "it-echo.xml", echo("v4"));
        await().atMost(WAIT).ignoreExceptions().until(() -> "v4".equals(reported("it-echo", "version")));
        assertEquals(-1, rowOf(execute("fogwerk:route-list"), "it-echo").indexOf("xml:8:"));
        for (String name : List.of("it-echo.xml", "it-unknown.xml", "it-throws.xml")) {
            Files.delete(routes.resolve(name));
        }
        await().atMost(WAIT).until(() -> !execute("fogwerk:route-list").contains("it-"));
        await().atMost(WAIT).until(() -> !execute("camel:route-list").contains("it-echo"));
    }

    @Test
    public void aRoutesBuilderServiceAddsItsRoutesUntilItGoes() throws Exception {
        ServiceRegistration<RoutesBuilder> registration = context.registerService(RoutesBuilder.class,
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("timer:it-java?period=100&delay=0").routeId("it-java")
                                .setBody(constant("{\"language\": \"java\"}"))
                                .to("fogwerk:shadow/it-java?section=reported");
                    }
                }, null);
        try {
            await().atMost(WAIT).ignoreExceptions().until(() -> "java".equals(reported("it-java", "language")));
            String row = rowOf(execute("fogwerk:route-list"), "it-java");
            assertTrue(row, row.contains("bundle:") && row.contains("Started"));
        } finally {
            registration.unregister();
        }
        await().atMost(WAIT).until(() -> rowOf(execute("fogwerk:route-list"), "it-java").isEmpty());
    }

    @Test
    public void theMesSamplesWriteSummariesApplyWorkOrdersAndRouteByMachineType() throws Exception {
        await().atMost(WAIT).ignoreExceptions().until(() -> execute("fogwerk:route-list").contains("Route"));
        DataSource mes = dataSource();
        String schema = System.getProperty(SCHEMA);
        Path samples = Paths.get(System.getProperty("fogwerk.it.samples"));
        try (Connection c = mes.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute("SET search_path TO " + schema);
            s.execute(Files.readString(samples.resolve("sql/mes-schema.sql")));
        }
        Path routes = Paths.get(System.getProperty("karaf.etc"), "routes");
        try {
            for (String name : List.of("mes-production-summary.xml", "mes-work-orders.xml", "mes-by-machine-type.xml")) {
                place(routes, name, Files.readString(samples.resolve("routes").resolve(name)));
            }
            for (String route : List.of("production-parts", "production-states", "production-summary", "work-orders",
                    "parts-by-machine-type")) {
                awaitRoutes(() -> rowOf(execute("fogwerk:route-list"), route).contains("Started"));
            }
            String list = execute("fogwerk:route-list --errors");
            assertTrue(list, !list.contains("mes-"));

            execute(mes, "INSERT INTO work_orders (machine, setpoints) VALUES ('press01', '{\"setpoint\": {\"speed\": 1200}}')");
            awaitRoutes(() -> query(mes, "SELECT status FROM work_orders").equals(List.of("applied")));
            @SuppressWarnings("unchecked")
            Map<String, Object> setpoint = (Map<String, Object>) shadows.get("press01", "").desired().get("setpoint");
            assertEquals(1200L, ((Number) setpoint.get("speed")).longValue());
            // the command path wrote it to the machine
            awaitRoutes(() -> bus.latest("sim-opcua", "setpointUInt1618")
                    .map(v -> ((Number) v.value()).longValue() == 1200L).orElse(false));

            awaitRoutes(() -> !query(mes,
                    "SELECT machine FROM production_summary WHERE machine = 'press01' AND part_count > 0").isEmpty()
                    && !query(mes, "SELECT machine FROM production_summary WHERE machine = 'mill01' AND part_count > 0")
                            .isEmpty());
            awaitRoutes(() -> query(mes, "SELECT machine_type FROM production_summary"
                    + " WHERE machine = 'press01' AND part_count > 0 AND mean_cycle_s > 0 AND state_seconds <> '{}'::jsonb")
                    .contains("press"));

            awaitRoutes(() -> !query(mes, "SELECT machine FROM press_events").isEmpty()
                    && !query(mes, "SELECT machine FROM mill_events").isEmpty());
            assertEquals(List.of("press01"), query(mes, "SELECT DISTINCT machine FROM press_events"));
            assertEquals(List.of("mill01"), query(mes, "SELECT DISTINCT machine FROM mill_events"));
        } finally {
            for (String name : List.of("mes-production-summary.xml", "mes-work-orders.xml", "mes-by-machine-type.xml")) {
                Files.deleteIfExists(routes.resolve(name));
            }
            await().atMost(WAIT).until(() -> rowOf(execute("fogwerk:route-list"), "work-orders").isEmpty());
            execute(mes, "DROP SCHEMA " + schema + " CASCADE");
        }
    }

    /** Waits for what the routes should have done; on time-out the failure shows fogwerk:route-list. */
    private void awaitRoutes(java.util.concurrent.Callable<Boolean> done) throws Exception {
        try {
            await().atMost(WAIT).until(done);
        } catch (RuntimeException e) {
            String routes = execute("fogwerk:route-list");
            System.out.println(routes);
            throw new AssertionError(e.getMessage() + "\n" + routes);
        }
    }

    private DataSource dataSource() throws Exception {
        ServiceTracker<DataSource, DataSource> tracker = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=javax.sql.DataSource)(dataSourceName=mes))"), null);
        tracker.open();
        try {
            DataSource ds = tracker.waitForService(WAIT.toMillis());
            assertTrue("no DataSource mes from etc/org.ops4j.datasource-mes.cfg; bundles not active: " + notActive(), ds != null);
            return ds;
        } finally {
            tracker.close();
        }
    }

    private static void execute(DataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<String> query(DataSource ds, String sql) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                values.add(r.getString(1));
            }
        }
        return values;
    }

    /** A route file that reports a version into the shadow of thing it-echo, ten times a second. */
    private static String echo(String version) {
        return "<routes xmlns=\"http://camel.apache.org/schema/spring\">\n"
                + "  <!-- reports its version -->\n"
                + "  <route id=\"it-echo\">\n"
                + "    <from uri=\"timer:it-echo?period=100&amp;delay=0\"/>\n"
                + "    <setBody>\n"
                + "      <constant>{\"version\": \"" + version + "\"}</constant>\n"
                + "    </setBody>\n"
                + "    <to uri=\"fogwerk:shadow/it-echo?section=reported\"/>\n"
                + "  </route>\n"
                + "</routes>\n";
    }

    /** Writes a route file the way a deployment tool should: to a hidden name, then moved into place. */
    private static void place(Path dir, String name, String content) throws Exception {
        Path temp = dir.resolve("." + name + ".tmp");
        Files.writeString(temp, content, StandardCharsets.UTF_8);
        Files.move(temp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private String reported(String thing, String field) throws Exception {
        Object v = shadows.get(thing, "").reported().get(field);
        return v == null ? null : v.toString();
    }

    private static String rowOf(String table, String routeId) {
        for (String line : table.split("\n")) {
            if (line.startsWith(routeId + " ")) {
                return line;
            }
        }
        return "";
    }
}
