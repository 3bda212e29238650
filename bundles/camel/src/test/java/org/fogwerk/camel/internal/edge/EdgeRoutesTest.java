package org.fogwerk.camel.internal.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.LambdaRouteBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.alarm.AlarmEvent;
import org.fogwerk.camel.internal.component.FogwerkHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The edge endpoints inside a real Camel context, fed through direct: and observed with mock:. */
class EdgeRoutesTest {

    private CamelContext context;
    private ProducerTemplate template;
    private final EdgeTestComponent component = new EdgeTestComponent();

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.addComponent("fogwerk", component);
        EdgeBeans.beans().forEach(context.getRegistry()::bind);
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private void routes(LambdaRouteBuilder builder) throws Exception {
        RouteBuilder.addRoutes(context, builder);
    }

    /** One route: direct:in, the step {@code uri}, mock:out. */
    private void step(String uri) throws Exception {
        routes(rb -> rb.from("direct:in").to(uri).to("mock:out"));
    }

    /** A route from direct:in feeds {@code feed}; a route from {@code read} delivers to mock:out. */
    private void feedAndRead(String feed, String read) throws Exception {
        routes(rb -> {
            rb.from("direct:in").to(feed);
            rb.from(read).to("mock:out");
        });
    }

    private MockEndpoint mock() {
        return context.getEndpoint("mock:out", MockEndpoint.class);
    }

    private void send(String uri, TagValue v) {
        template.sendBodyAndHeader(uri, v, FogwerkHeaders.THING, "press1");
    }

    private static TagValue v(String tag, Object value, long time) {
        return TagValue.good("plc1", tag, value, time, time);
    }

    private List<Object> bodies() {
        return mock().getExchanges().stream().map(e -> e.getIn().getBody()).collect(Collectors.toList());
    }

    @Test
    void filterStepDropsValuesInsideTheDeadband() throws Exception {
        step("fogwerk:edge/filter?deadband=0.5");
        double[] values = {10.0, 10.3, 10.6, 10.4, 11.2};
        for (int i = 0; i < values.length; i++) {
            send("direct:in", v("t", values[i], i));
        }
        assertEquals(List.of(v("t", 10.0, 0), v("t", 10.6, 2), v("t", 11.2, 4)), bodies());
    }

    @Test
    void filterStepWithRateLimitAndChangeOnly() throws Exception {
        step("fogwerk:edge/filter?minInterval=1s&changeOnly=true");
        send("direct:in", v("t", "RUN", 0));
        send("direct:in", v("t", "STOP", 500));
        send("direct:in", v("t", "RUN", 1000));
        send("direct:in", v("t", "STOP", 2500));
        assertEquals(List.of(v("t", "RUN", 0), v("t", "STOP", 2500)), bodies());
    }

    @Test
    void alarmStepEmitsOnlyTransitions() throws Exception {
        routes(rb -> rb.from("direct:in").routeId("alarms").to("fogwerk:edge/alarm?high=80&low=10&hysteresis=5")
                .to("mock:out"));
        double[] values = {50, 81, 79, 74, 90, 95, 5};
        for (int i = 0; i < values.length; i++) {
            send("direct:in", v("temp", values[i], i));
        }
        List<Exchange> got = mock().getExchanges();
        assertEquals(List.of(TagValue.good("plc1", "temp_alarm", "HIGH", 1, 1),
                TagValue.good("plc1", "temp_alarm", "NORMAL", 3, 3),
                TagValue.good("plc1", "temp_alarm", "HIGH", 4, 4),
                TagValue.good("plc1", "temp_alarm", "LOW", 6, 6)), bodies());
        Message raise = got.get(0).getIn();
        assertEquals("RAISE", raise.getHeader(FogwerkHeaders.ALARM_EVENT));
        assertEquals("HIGH", raise.getHeader(FogwerkHeaders.ALARM_STATE));
        assertEquals("NORMAL", raise.getHeader(FogwerkHeaders.ALARM_PREVIOUS));
        assertEquals(80.0, raise.getHeader(FogwerkHeaders.ALARM_LIMIT));
        assertEquals(81.0, raise.getHeader(FogwerkHeaders.ALARM_VALUE));
        assertEquals("temp_alarm", raise.getHeader(FogwerkHeaders.TAG));
        assertEquals("press1", raise.getHeader(FogwerkHeaders.THING));
        Message clear = got.get(1).getIn();
        assertEquals("CLEAR", clear.getHeader(FogwerkHeaders.ALARM_EVENT));
        assertEquals(80.0, clear.getHeader(FogwerkHeaders.ALARM_LIMIT));
        assertEquals(74.0, clear.getHeader(FogwerkHeaders.ALARM_VALUE));
        assertEquals(10.0, got.get(3).getIn().getHeader(FogwerkHeaders.ALARM_LIMIT));

        // the same four events in the context's journal, newest first, with the route and the thing
        List<AlarmEvent> journal = component.alarms.recent(10);
        assertEquals(List.of("LOW", "HIGH", "NORMAL", "HIGH"), journal.stream().map(AlarmEvent::level).collect(Collectors.toList()));
        AlarmEvent first = journal.get(3);
        assertEquals(new AlarmEvent(1, "alarms", "press1", "plc1", "temp", "temp_alarm", "HIGH", "NORMAL", 81, 80,
                Quality.GOOD, 1), first);
        assertEquals(List.of(journal.get(0)), component.alarms.after(3));
    }

    @Test
    void alarmOfABooleanWithASuffix() throws Exception {
        step("fogwerk:edge/alarm?high=0.5&suffix=.fault");
        send("direct:in", v("door", false, 0));
        send("direct:in", v("door", true, 1));
        send("direct:in", v("door", true, 2));
        send("direct:in", TagValue.of("plc1", "door", null, Quality.BAD, "timeout", 3, 3));
        send("direct:in", v("door", false, 4));
        assertEquals(List.of(TagValue.good("plc1", "door.fault", "HIGH", 1, 1),
                TagValue.good("plc1", "door.fault", "NORMAL", 4, 4)), bodies());
    }

    @Test
    void gzipStepCompressesTheBody() throws Exception {
        step("fogwerk:edge/gzip?level=9");
        String text = "{\"temp\":21.5}".repeat(50);
        template.sendBody("direct:in", text);
        Message m = mock().getExchanges().get(0).getIn();
        assertEquals("gzip", m.getHeader(Exchange.CONTENT_ENCODING));
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), Gzip.decompress(m.getBody(byte[].class)));
    }

    @Test
    void batchAsTextCompressed() throws Exception {
        routes(rb -> {
            rb.from("direct:in").to("fogwerk:edge/batch?size=2&linger=1h");
            rb.from("fogwerk:edge/batch?size=2&linger=1h").convertBodyTo(String.class).to("fogwerk:edge/gzip")
                    .to("mock:out");
        });
        send("direct:in", v("a", 1.5, 0));
        send("direct:in", v("b", true, 0));
        byte[] gz = mock().getExchanges().get(0).getIn().getBody(byte[].class);
        assertEquals(List.of(v("a", 1.5, 0), v("b", true, 0)).toString(),
                new String(Gzip.decompress(gz), StandardCharsets.UTF_8));
    }

    @Test
    void gzipOfABodyWithoutBytesSaysWhat() throws Exception {
        step("fogwerk:edge/gzip");
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:in", v("t", 1.0, 0)));
        assertEquals("fogwerk://edge/gzip cannot turn a body of org.fogwerk.api.TagValue into bytes: convert or"
                + " marshal it to text or bytes first", e.getCause().getMessage());
    }

    @Test
    void batchSendsFullBatchesAndThePendingOneWhenTheReadingRouteStops() throws Exception {
        routes(rb -> {
            rb.from("direct:in").to("fogwerk:edge/batch?size=3&linger=1h");
            rb.from("fogwerk:edge/batch?size=3&linger=1h").routeId("uplink").to("mock:out");
        });
        for (int i = 0; i < 7; i++) {
            send("direct:in", v("t", (double) i, i));
        }
        assertEquals(List.of(List.of(v("t", 0.0, 0), v("t", 1.0, 1), v("t", 2.0, 2)),
                List.of(v("t", 3.0, 3), v("t", 4.0, 4), v("t", 5.0, 5))), bodies());
        assertEquals(3, mock().getExchanges().get(0).getIn().getHeader(FogwerkHeaders.BATCH_SIZE));
        context.getRouteController().stopRoute("uplink");
        assertEquals(List.of(v("t", 6.0, 6)), bodies().get(2));
    }

    @Test
    void batchLingerSendsAPartialBatch() throws Exception {
        feedAndRead("fogwerk:edge/batch?size=100&linger=100ms", "fogwerk:edge/batch?size=100&linger=100ms");
        send("direct:in", v("a", 1.0, 0));
        send("direct:in", v("b", 2.0, 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> mock().getReceivedCounter() == 1);
        assertEquals(List.of(v("a", 1.0, 0), v("b", 2.0, 1)), bodies().get(0));
        send("direct:in", v("c", 3.0, 2));
        await().atMost(Duration.ofSeconds(5)).until(() -> mock().getReceivedCounter() == 2);
        assertEquals(List.of(v("c", 3.0, 2)), bodies().get(1));
    }

    @Test
    void manyBatchesClosedBySizeDoNotPileUpLingerChecks() throws Exception {
        feedAndRead("fogwerk:edge/batch?size=2&linger=200ms", "fogwerk:edge/batch?size=2&linger=200ms");
        for (int i = 0; i < 5001; i++) {
            template.sendBody("direct:in", i);
        }
        assertEquals(2500, mock().getReceivedCounter());
        await().atMost(Duration.ofSeconds(5)).until(() -> mock().getReceivedCounter() == 2501);
        assertEquals(List.of(5000), bodies().get(2500));
    }

    @Test
    void resultsWithoutAReadingRouteAreCountedAsDropped() throws Exception {
        routes(rb -> rb.from("direct:in").to("fogwerk:edge/batch?size=2&linger=1h"));
        for (int i = 0; i < 5; i++) {
            template.sendBody("direct:in", i);
        }
        assertEquals(2, ((EmittingEndpoint) context.getEndpoint("fogwerk:edge/batch?size=2&linger=1h")).dropped());
    }

    @Test
    void batchByBytes() throws Exception {
        feedAndRead("fogwerk:edge/batch?size=1000&bytes=10&linger=1h",
                "fogwerk:edge/batch?size=1000&bytes=10&linger=1h");
        for (String s : new String[] {"abcd", "efgh", "ijkl", "mnopqr"}) {
            template.sendBody("direct:in", s);
        }
        assertEquals(List.of(List.of("abcd", "efgh"), List.of("ijkl", "mnopqr")), bodies());
    }

    @Test
    void windowResultsAtTheWindowEndWithAllFigures() throws Exception {
        TestClock clock = new TestClock(3_600_000 + 5_000);
        String uri = "fogwerk:edge/window?period=1h";
        Endpoint endpoint = EdgeEndpoints.create(uri, context.getComponent("fogwerk"), "window",
                new HashMap<>(Map.of("period", "1h")), clock);
        context.addEndpoint(uri, endpoint);
        routes(rb -> {
            rb.from("direct:in").to(uri).to("mock:fed");
            rb.from(uri).to("mock:out");
        });
        send("direct:in", v("t", 1.0, 1));
        send("direct:in", v("t", 5.0, 2));
        send("direct:in", v("u", 7L, 3));
        assertEquals(3, context.getEndpoint("mock:fed", MockEndpoint.class).getReceivedCounter(),
                "feeding routes go on with their value");
        assertEquals(0, mock().getReceivedCounter());
        clock.set(7_200_000);
        ((WindowEndpoint) endpoint).closeDue();
        List<Exchange> got = new ArrayList<>(mock().getExchanges());
        got.sort(Comparator.comparing(e -> e.getIn().getHeader(FogwerkHeaders.TAG, String.class)));
        assertEquals(2, got.size());
        Message t = got.get(0).getIn();
        assertEquals(TagValue.of("plc1", "t", 3.0, Quality.GOOD, null, 3_600_000, 7_200_000), t.getBody());
        assertEquals(Instant.ofEpochMilli(3_600_000), t.getHeader(FogwerkHeaders.WINDOW_START));
        assertEquals(Instant.ofEpochMilli(7_200_000), t.getHeader(FogwerkHeaders.WINDOW_END));
        assertEquals(2L, t.getHeader(FogwerkHeaders.WINDOW_COUNT));
        assertEquals(3.0, t.getHeader(FogwerkHeaders.WINDOW_MEAN));
        assertEquals(1.0, t.getHeader(FogwerkHeaders.WINDOW_MIN));
        assertEquals(5.0, t.getHeader(FogwerkHeaders.WINDOW_MAX));
        assertEquals("press1", t.getHeader(FogwerkHeaders.THING));
        assertEquals("plc1", t.getHeader(FogwerkHeaders.CONNECTION));
        assertEquals("GOOD", t.getHeader(FogwerkHeaders.QUALITY));
        assertEquals(7.0, ((TagValue) got.get(1).getIn().getBody()).value());
    }

    @Test
    void windowTimerClosesWindowsOnItsOwn() throws Exception {
        feedAndRead("fogwerk:edge/window?period=200ms&stat=count", "fogwerk:edge/window?stat=count&period=200ms");
        for (int i = 0; i < 5; i++) {
            send("direct:in", v("t", (double) i, i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> bodies().stream()
                .mapToLong(b -> (Long) ((TagValue) b).value()).sum() == 5);
        for (Exchange e : mock().getExchanges()) {
            Instant start = e.getIn().getHeader(FogwerkHeaders.WINDOW_START, Instant.class);
            assertEquals(0, start.toEpochMilli() % 200, "aligned to the period");
            assertEquals(start.plusMillis(200), e.getIn().getHeader(FogwerkHeaders.WINDOW_END));
        }
    }

    @Test
    void windowStatsForTheAggregateEip() throws Exception {
        routes(rb -> rb.from("direct:in").aggregate(rb.header(FogwerkHeaders.TAG))
                .aggregationStrategy(EdgeBeans.WINDOW_STATS).completionSize(4).to("mock:out"));
        double[] values = {2, 4, 9, 1};
        for (int i = 0; i < values.length; i++) {
            template.sendBodyAndHeader("direct:in", v("t", values[i], 1000 + i), FogwerkHeaders.TAG, "t");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> mock().getReceivedCounter() == 1);
        Message m = mock().getExchanges().get(0).getIn();
        TagValue mean = m.getBody(TagValue.class);
        assertEquals(4.0, mean.value());
        assertEquals(1000, mean.sourceTime());
        assertEquals(4L, m.getHeader(FogwerkHeaders.WINDOW_COUNT));
        assertEquals(1.0, m.getHeader(FogwerkHeaders.WINDOW_MIN));
        assertEquals(9.0, m.getHeader(FogwerkHeaders.WINDOW_MAX));
        assertEquals(Instant.ofEpochMilli(1003), m.getHeader(FogwerkHeaders.WINDOW_END));
    }

    @Test
    void aBodyThatIsNoTagValueIsRefusedWithTheReason() throws Exception {
        step("fogwerk:edge/filter?changeOnly=true");
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("direct:in", "21.5"));
        assertEquals("fogwerk://edge/filter?changeOnly=true needs a TagValue body (as fogwerk:tags delivers), not"
                + " java.lang.String", e.getCause().getMessage());
    }

    private String endpointError(String uri) {
        ResolveEndpointFailedException e = assertThrows(ResolveEndpointFailedException.class,
                () -> context.getEndpoint(uri));
        Throwable cause = e.getCause();
        assertInstanceOf(IllegalArgumentException.class, cause);
        return cause.getMessage();
    }

    @Test
    void badOptionsNameTheEndpointAndTheKey() {
        assertEquals("fogwerk:edge/window: unknown option 'perod' (options: period, stat)",
                endpointError("fogwerk:edge/window?perod=1s"));
        assertEquals("fogwerk:edge/window: period=soon: not a duration (use e.g. 500ms, 2s, 5m, 1h)",
                endpointError("fogwerk:edge/window?period=soon"));
        assertEquals("fogwerk:edge/window: stat=median: use one of mean, min, max, count",
                endpointError("fogwerk:edge/window?stat=median"));
        assertEquals("fogwerk:edge/alarm: set high, low or both", endpointError("fogwerk:edge/alarm?hysteresis=2"));
        assertEquals("fogwerk:edge/alarm: low=80.0 must be below high=20.0",
                endpointError("fogwerk:edge/alarm?high=20&low=80"));
        assertEquals("fogwerk:edge/alarm: hysteresis=-1: must be at least 0",
                endpointError("fogwerk:edge/alarm?high=20&hysteresis=-1"));
        assertEquals("fogwerk:edge/gzip: level=10: must be between 1 and 9", endpointError("fogwerk:edge/gzip?level=10"));
        assertEquals("fogwerk:edge/batch: size=0: must be between 1 and 1000000",
                endpointError("fogwerk:edge/batch?size=0"));
        assertEquals("fogwerk:edge/batch: linger=0ms: must be more than 0", endpointError("fogwerk:edge/batch?linger=0ms"));
        assertEquals("fogwerk:edge/filter: set deadband, deadbandPercent, minInterval or changeOnly=true",
                endpointError("fogwerk:edge/filter"));
        assertEquals("fogwerk:edge/filter: deadband=x: not a number", endpointError("fogwerk:edge/filter?deadband=x"));
        assertEquals("fogwerk:edge/filter: unknown option 'tag' (options: deadband, deadbandPercent, deadbandSpan, "
                + "minInterval, changeOnly)", endpointError("fogwerk:edge/filter?deadband=1&tag=x"));
    }

    @Test
    void anUnknownKindIsNotAnEdgeEndpoint() {
        assertNull(EdgeEndpoints.create("fogwerk:edge/median", context.getComponent("fogwerk"), "median",
                new HashMap<>()));
    }

    @Test
    void routeStepsCannotBeReadFrom() {
        Endpoint e = context.getEndpoint("fogwerk:edge/gzip");
        UnsupportedOperationException x = assertThrows(UnsupportedOperationException.class,
                () -> e.createConsumer(exchange -> { }));
        assertTrue(x.getMessage().contains("use it with to, not from"));
    }
}
