package org.fogwerk.camel.internal.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import javax.sql.DataSource;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.camel.internal.component.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The MES/ERP sample route files of config/samples as shipped, against the PostgreSQL of the
 * machine (127.0.0.1:5432, database test) in a schema of their own, with the real tag bus,
 * thing registry, shadow store and command path.
 */
class MesSamplesTest {

    private static final Path SAMPLES = Path.of("../../config/samples");

    @TempDir
    Path dir;

    private TestNode node;
    private ShadowListener commands;
    private RouteFiles files;
    private PGSimpleDataSource db;
    private String schema;

    @BeforeEach
    void start() throws Exception {
        schema = "mes_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        db = new PGSimpleDataSource();
        db.setUrl("jdbc:postgresql://127.0.0.1:5432/test");
        db.setUser("postgres");
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        db.setCurrentSchema(schema);
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(Files.readString(SAMPLES.resolve("sql/mes-schema.sql")));
        }
        node = new TestNode(dir.resolve("shadow"));
        node.addThing("press01", "press",
                Map.of("parts", "press01/counter", "state", "press01/state", "setpoint.speed", "press01/speed"));
        node.addThing("mill01", "cnc-mill", Map.of("parts", "mill/counter", "state", "mill/state"));
        commands = node.core.commandPath(node.shadow, node.audit);
        node.shadow.addListener(commands);
        Properties props = new Properties();
        props.setProperty("mes.summary.period", "1500");
        props.setProperty("mes.workorders.period", "200");
        node.camel.getPropertiesComponent().setInitialProperties(props);
        node.camel.getRegistry().bind("mes", DataSource.class, db);
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (var samples = Files.list(SAMPLES.resolve("routes"))) {
            for (Path p : samples.toList()) {
                Files.copy(p, routes.resolve(p.getFileName()));
            }
        }
        files = new RouteFiles(node.camel, routes, new RouteStats());
        files.scan();
        for (RouteFiles.FileState f : files.files()) {
            assertEquals("", f.error, f.path.toString());
        }
    }

    @AfterEach
    void stop() throws SQLException {
        node.shadow.removeListener(commands);
        node.close();
        db.setCurrentSchema(null);
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private List<List<Object>> query(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(r.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void productionSummaryRowsPerMachine() throws Exception {
        long t = System.currentTimeMillis();
        node.publish(TagValue.good("press01", "state", 2L, t, t));
        node.publish(TagValue.good("press01", "counter", 10L, t, t));
        node.publish(TagValue.good("press01", "counter", 11L, t + 1000, t + 1000));
        node.publish(TagValue.good("press01", "counter", 12L, t + 2000, t + 2000));
        node.publish(TagValue.good("press01", "counter", 14L, t + 4000, t + 4000));
        node.publish(TagValue.good("press01", "state", 4L, t + 3000, t + 3000));
        node.publish(TagValue.good("mill", "counter", 7L));

        await().atMost(Duration.ofSeconds(10)).until(() -> query(
                "SELECT 1 FROM production_summary WHERE machine = 'press01' AND part_count > 0").size() == 1);
        List<Object> press = query("SELECT machine_type, part_count, mean_cycle_s, (state_seconds->>'2')::float"
                + " FROM production_summary WHERE machine = 'press01' AND part_count > 0").get(0);
        assertEquals(List.of("press", 4L, 1.0, 3.0), press);
        List<List<Object>> mill = query("SELECT machine_type, part_count, mean_cycle_s FROM production_summary"
                + " WHERE machine = 'mill01' ORDER BY id LIMIT 1");
        assertEquals(List.of("cnc-mill", 0L), mill.get(0).subList(0, 2));
        assertEquals(null, mill.get(0).get(2));
    }

    private void order(String machine, String setpoints) throws SQLException {
        try (Connection c = db.getConnection();
                java.sql.PreparedStatement s = c.prepareStatement(
                        "INSERT INTO work_orders (machine, setpoints) VALUES (?, ?::jsonb)")) {
            s.setString(1, machine);
            s.setString(2, setpoints);
            s.executeUpdate();
        }
    }

    @Test
    void workOrdersBecomeDesiredStateAndMachineWritesOrAreRefusedWithTheReason() throws Exception {
        order("press01", "{\"setpoint\": {\"speed\": 1200}}");
        order("press01", "\"fast please\"");
        order("press01?section=reported", "{\"mode\": 1}");
        order("ghost", "{\"setpoint\": {\"speed\": 5}}");
        order("press01", "{\"setpoint\": {\"speed\": \"fast\"}}");
        order("press01", "{\"setpoint\": {\"speed\": 9000}}");
        order("press01", "{\"mode\": 1}");
        await().atMost(Duration.ofSeconds(20)).until(() -> query(
                "SELECT 1 FROM work_orders WHERE status = 'new'").isEmpty());
        List<List<Object>> orders = query("SELECT status, reason FROM work_orders ORDER BY id");
        assertEquals(Arrays.asList("applied", null), orders.get(0));
        assertRefused(orders.get(1), "must be a JSON object of fields");
        assertRefused(orders.get(2), "no machine named 'press01?section=reported'");
        assertRefused(orders.get(3), "no machine named 'ghost'");
        assertRefused(orders.get(4), "press01 setpoint.speed = fast:");
        assertRefused(orders.get(5), "above the maximum");
        assertRefused(orders.get(6), "press01 has no field mode");
        assertEquals(List.of(1200L), node.press.written, "only the applied order reached the machine");
        assertEquals(null, node.shadow.get("press01", "").reported().get("mode"));
        assertEquals(null, node.shadow.get("press01", "").desired().get("mode"));
        @SuppressWarnings("unchecked")
        Map<String, Object> setpoint = (Map<String, Object>) node.shadow.get("press01", "").desired().get("setpoint");
        assertEquals(1200L, ((Number) setpoint.get("speed")).longValue());

        // the machine refuses: the order is refused with the machine's reason, not applied
        node.press.failWith = "interlock: guard door open";
        order("press01", "{\"setpoint\": {\"speed\": 1500}}");
        await().atMost(Duration.ofSeconds(20)).until(() -> query(
                "SELECT 1 FROM work_orders WHERE status = 'new'").isEmpty());
        List<Object> refused = query("SELECT status, reason FROM work_orders ORDER BY id DESC LIMIT 1").get(0);
        assertRefused(refused, "press01 setpoint.speed: failed: interlock: guard door open");
    }

    private static void assertRefused(List<Object> row, String reason) {
        assertEquals("refused", row.get(0), String.valueOf(row));
        assertTrue(String.valueOf(row.get(1)).contains(reason), String.valueOf(row.get(1)));
    }

    @Test
    void partCountsGoToTheServiceOfTheMachineType() throws Exception {
        node.publish(TagValue.good("press01", "counter", 1L, 1_700_000_000_000L, 1_700_000_000_000L));
        node.publish(TagValue.good("press01", "counter", 1L));
        node.publish(TagValue.good("press01", "counter", 2L));
        node.publish(TagValue.good("mill", "counter", 40L));
        node.publish(TagValue.good("press01", "temperature", 20.5));
        await().atMost(Duration.ofSeconds(10)).until(() -> query("SELECT 1 FROM press_events").size() == 2
                && query("SELECT 1 FROM mill_events").size() == 1);
        assertEquals(List.of(List.of("press01", "parts", "1", 1_700_000_000.0), List.of("press01", "parts", "2")),
                query("SELECT machine, field, value, extract(epoch FROM source_time)::float FROM press_events ORDER BY id")
                        .stream().map(r -> r.get(2).equals("2") ? r.subList(0, 3) : r).toList());
        assertEquals(List.of(List.of("mill01", "parts", "40")), query("SELECT machine, field, value FROM mill_events"));
    }
}
