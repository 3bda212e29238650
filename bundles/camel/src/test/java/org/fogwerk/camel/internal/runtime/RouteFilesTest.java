package org.fogwerk.camel.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteFilesTest {

    @TempDir
    Path dir;

    private DefaultCamelContext camel;
    private RouteStats stats;
    private RouteFiles files;
    private ProducerTemplate template;
    private long clock = 1_700_000_000_000L;

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        stats = new RouteStats();
        CamelRuntime.prepare(camel, stats);
        camel.start();
        files = new RouteFiles(camel, dir, stats);
        files.scan();
        template = camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        camel.stop();
    }

    private static String routes(String body) {
        return "<routes xmlns=\"http://camel.apache.org/schema/spring\">\n" + body + "</routes>\n";
    }

    private static String echo(String id, String from, String reply) {
        return "  <route id=\"" + id + "\">\n    <from uri=\"" + from + "\"/>\n"
                + "    <setBody><constant>" + reply + "</constant></setBody>\n  </route>\n";
    }

    /** Writes a file with a new modification time, then scans twice: once to see it, once to find it stable. */
    private void write(String name, String content) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        clock += 1000;
        Files.setLastModifiedTime(p, FileTime.fromMillis(clock));
        files.scan();
        files.scan();
    }

    private RouteFiles.FileState state(String name) {
        return files.files().stream().filter(f -> f.path.getFileName().toString().equals(name)).findFirst()
                .orElseThrow();
    }

    @Test
    void aFileIsLoadedEditedAndRemovedOnItsOwn() throws Exception {
        write("a.xml", routes(echo("a", "direct:a", "one")));
        write("b.xml", routes(echo("b", "direct:b", "bee")));
        assertEquals("one", template.requestBody("direct:a", "", String.class));
        assertEquals(List.of("a"), state("a.xml").routeIds);

        write("a.xml", routes(echo("a", "direct:a", "two") + echo("a2", "direct:a2", "extra")));
        assertEquals("two", template.requestBody("direct:a", "", String.class));
        assertEquals("extra", template.requestBody("direct:a2", "", String.class));

        Files.delete(dir.resolve("a.xml"));
        files.scan();
        assertNull(camel.getRoute("a"));
        assertNull(camel.getRoute("a2"));
        assertEquals("bee", template.requestBody("direct:b", "", String.class));
    }

    @Test
    void routesWithoutIdsAreNamedAfterTheFile() throws Exception {
        write("line-3.xml", routes("  <route><from uri=\"direct:x\"/><setBody><constant>x</constant></setBody></route>\n"
                + "  <route><from uri=\"direct:y\"/><setBody><constant>y</constant></setBody></route>\n"));
        assertEquals(List.of("line-3-1", "line-3-2"), state("line-3.xml").routeIds);
    }

    @Test
    void aBrokenVersionKeepsTheOldRoutesAndNamesFileAndLine() throws Exception {
        write("a.xml", routes(echo("a", "direct:a", "good")));
        write("a.xml", routes("  <route id=\"a\">\n    <from uri=\"direct:a\"/>\n    <setBody><constant>bad</constant>\n"
                + "  </route>\n"));
        RouteFiles.FileState a = state("a.xml");
        assertTrue(a.error.startsWith(dir.resolve("a.xml") + ":5: "), a.error);
        assertEquals("good", template.requestBody("direct:a", "", String.class));

        write("a.xml", routes(echo("a", "direct:a", "other").replace("<setBody>", "<setBody><to uri=\"direct:x\"/>")));
        assertTrue(state("a.xml").error.startsWith(dir.resolve("a.xml") + ":4: Unexpected element"), state("a.xml").error);
        write("a.xml", routes(echo("a", "direct:a", "x").replace("uri=", "url=")));
        assertTrue(state("a.xml").error.startsWith(dir.resolve("a.xml") + ":3: "), state("a.xml").error);
        assertEquals("good", template.requestBody("direct:a", "", String.class));

        write("a.xml", routes(echo("a", "direct:a", "fixed")));
        assertEquals("", state("a.xml").error);
        assertEquals("fixed", template.requestBody("direct:a", "", String.class));
    }

    @Test
    void anUnknownEndpointIsReportedWithItsLine() throws Exception {
        write("a.xml", routes(echo("a", "direct:a", "good")));
        write("a.xml", routes("  <route id=\"a\">\n    <from uri=\"direct:a\"/>\n"
                + "    <to uri=\"nosuch:thing\"/>\n  </route>\n"));
        String error = state("a.xml").error;
        assertTrue(error.startsWith(dir.resolve("a.xml") + ":4: endpoint 'nosuch:thing'"), error);
        assertEquals("good", template.requestBody("direct:a", "", String.class));

        write("c.xml", routes("  <route id=\"c\">\n    <from uri=\"direct:c\"/>\n    <bean ref=\"noSuchBean\"/>\n"
                + "  </route>\n"));
        String beanError = state("c.xml").error;
        assertTrue(beanError.startsWith(dir.resolve("c.xml") + ":4: ") && beanError.contains("noSuchBean"), beanError);
        assertNull(camel.getRoute("c"));
        assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("a"));
    }

    @Test
    void atStartTheFirstFileByNameKeepsARouteIdTwoFilesUse() throws Exception {
        for (String name : List.of("m.xml", "e.xml", "q.xml", "c.xml", "x.xml", "k.xml")) {
            Files.writeString(dir.resolve(name), routes(echo("dup", "direct:" + name.charAt(0), name)), StandardCharsets.UTF_8);
        }
        files.unloadAll();
        files = new RouteFiles(camel, dir, stats);
        files.scan();
        assertEquals(List.of("dup"), state("c.xml").routeIds);
        assertEquals("c.xml", template.requestBody("direct:c", "", String.class));
        assertTrue(state("x.xml").error.contains("route id 'dup' is already used"), state("x.xml").error);
    }

    @Test
    void aBadEndpointOptionIsNamedWithItsValue() {
        Exception bad = new ResolveEndpointFailedException("fogwerk://tags?queueSize=abc",
                new PropertyBindingException(new Object(), "queueSize", "abc",
                        new NumberFormatException("For input string: \"abc\"")));
        assertEquals("option 'queueSize' = 'abc': not a number", RouteFiles.reason(bad));
        assertEquals("no such thing", RouteFiles.reason(new IllegalStateException("x", new IllegalArgumentException("no such thing"))));
    }

    @Test
    void aFileThatNeedsWhatIsNotThereYetLoadsOnceItComes() throws Exception {
        files.retryMillis = 0;
        write("late.xml", routes("  <route id=\"late\">\n    <from uri=\"direct:late\"/>\n"
                + "    <bean ref=\"lateBean\" method=\"toString\"/>\n  </route>\n"));
        assertTrue(state("late.xml").error.contains("lateBean"), state("late.xml").error);
        camel.getRegistry().bind("lateBean", "here");
        files.scan();
        assertEquals("", state("late.xml").error);
        assertEquals("here", template.requestBody("direct:late", "", String.class));
    }

    @Test
    void aNewVersionThatCannotStartWhileTheOldRunsIsNotTriedAgainUntilTheFileChanges() throws Exception {
        files.retryMillis = 0;
        write("a.xml", routes(echo("a", "direct:a", "old")));
        write("a.xml", routes("  <route id=\"a\">\n    <from uri=\"direct:a\"/>\n"
                + "    <bean ref=\"nope\" method=\"toString\"/>\n  </route>\n"));
        assertTrue(state("a.xml").error.contains("nope"), state("a.xml").error);
        org.apache.camel.Route running = camel.getRoute("a");
        for (int i = 0; i < 3; i++) {
            files.scan();
        }
        // the old route was not stopped and started again at each scan
        assertSame(running, camel.getRoute("a"));
        assertEquals("old", template.requestBody("direct:a", "", String.class));
        write("a.xml", routes(echo("a", "direct:a", "new")));
        assertEquals("new", template.requestBody("direct:a", "", String.class));
    }

    @Test
    void aRouteIdOfAnotherFileIsRefused() throws Exception {
        write("a.xml", routes(echo("same", "direct:a", "a")));
        write("b.xml", routes(echo("same", "direct:b", "b")));
        assertTrue(state("b.xml").error.contains("route id 'same' is already used"), state("b.xml").error);
        assertEquals("a", template.requestBody("direct:a", "", String.class));
    }

    @Test
    void aFileStillBeingWrittenIsNotLoaded() throws Exception {
        write("a.xml", routes(echo("a", "direct:a", "old")));
        Path p = dir.resolve("a.xml");
        Files.writeString(p, routes(echo("a", "direct:a", "new")).substring(0, 60), StandardCharsets.UTF_8);
        Files.setLastModifiedTime(p, FileTime.fromMillis(clock += 1000));
        files.scan();
        assertEquals("", state("a.xml").error);
        Files.writeString(p, routes(echo("a", "direct:a", "new")), StandardCharsets.UTF_8);
        Files.setLastModifiedTime(p, FileTime.fromMillis(clock += 1000));
        files.scan();
        assertEquals("old", template.requestBody("direct:a", "", String.class));
        files.scan();
        assertEquals("new", template.requestBody("direct:a", "", String.class));
    }

    @Test
    void aRouteThatThrowsShowsItsLastErrorWithTheLine() throws Exception {
        write("t.xml", routes("  <route id=\"t\">\n    <from uri=\"direct:t\"/>\n"
                + "    <throwException exceptionType=\"java.lang.IllegalStateException\" message=\"no recipe\"/>\n"
                + "  </route>\n"));
        for (int i = 0; i < 30; i++) {
            try {
                template.requestBody("direct:t", "x");
            } catch (RuntimeException expected) {
                // the route fails every message
            }
        }
        RouteStats.Counters c = stats.of("t");
        assertEquals(30, c.exchanges.sum());
        assertEquals(30, c.failures.sum());
        assertEquals(dir.resolve("t.xml") + ":4 (throwException): IllegalStateException: no recipe", c.lastError);
        assertNotNull(camel.getRoute("t"));

        // the file is edited (a comment, the fix): the route's counters go on, its old error goes
        write("t.xml", "<!-- reviewed -->\n" + routes(echo("t", "direct:t", "fixed") + echo("u", "direct:u", "u")));
        assertEquals("fixed", template.requestBody("direct:t", "", String.class));
        assertEquals(31, stats.of("t").exchanges.sum(), "a counter of /metrics never goes down");
        assertEquals(30, stats.of("t").failures.sum());
        assertEquals("", stats.of("t").lastError);
        // a route the file no longer has is forgotten; one that comes back counts afresh
        write("t.xml", routes(echo("u", "direct:u", "u")));
        write("t.xml", routes(echo("t", "direct:t", "back") + echo("u", "direct:u", "u")));
        assertEquals(0, stats.of("t").exchanges.sum());
    }
}
