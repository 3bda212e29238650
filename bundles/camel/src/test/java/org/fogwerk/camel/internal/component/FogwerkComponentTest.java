package org.fogwerk.camel.internal.component;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.builder.RouteBuilder;
import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FogwerkComponentTest {

    @TempDir
    Path dir;

    private TestNode node;
    private ProducerTemplate template;
    private final List<Exchange> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        node = new TestNode(dir);
        template = node.camel.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private void route(String id, String from) throws Exception {
        node.camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(from).routeId(id).process(received::add);
            }
        });
    }

    @Test
    void tagsConsumerDeliversMatchingValuesWithThingTypeAndTimes() throws Exception {
        route("speeds", "fogwerk:tags?thing=press-*&tag=spindle.*");
        node.publish(TagValue.good("press01", "temperature", 21.5));
        node.publish(TagValue.good("press01", "speed", 1200L, 1_000L, 2_000L));
        node.publish(TagValue.good("other", "speed", 5L));

        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 1);
        Exchange e = received.get(0);
        TagValue v = e.getIn().getBody(TagValue.class);
        assertEquals(1200L, v.value());
        assertEquals("press-a", e.getIn().getHeader(FogwerkHeaders.THING));
        assertEquals("press", e.getIn().getHeader(FogwerkHeaders.THING_TYPE));
        assertEquals("speed", e.getIn().getHeader(FogwerkHeaders.TAG));
        assertEquals("spindle.speed", e.getIn().getHeader(FogwerkHeaders.FIELD));
        assertEquals("press01", e.getIn().getHeader(FogwerkHeaders.CONNECTION));
        assertEquals("GOOD", e.getIn().getHeader(FogwerkHeaders.QUALITY));
        assertEquals(Instant.ofEpochMilli(1_000L), e.getIn().getHeader(FogwerkHeaders.SOURCE_TIME));
        assertEquals(Instant.ofEpochMilli(2_000L), e.getIn().getHeader(FogwerkHeaders.RECEIVED_TIME));
        // temperature is mapped to a field that does not match spindle.*; "other" feeds an implicit thing
        node.publish(TagValue.good("press01", "speed", 1300L));
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 2);
        assertEquals(1300L, received.get(1).getIn().getBody(TagValue.class).value());
        assertEquals(2, received.size());
    }

    @Test
    void aFailureInTheRouteIsLeftToTheRoutesErrorHandlerAndNotLoggedAgainByTheConsumer() throws Exception {
        java.util.concurrent.atomic.AtomicInteger consumerLogged = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
        node.camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(IllegalStateException.class).process(x -> failed.incrementAndGet());
                from("fogwerk:tags?connection=press01&tag=speed").routeId("fails").process(x -> {
                    throw new IllegalStateException("broken");
                });
            }
        });
        ((org.apache.camel.support.DefaultConsumer) node.camel.getRoute("fails").getConsumer())
                .setExceptionHandler(new org.apache.camel.spi.ExceptionHandler() {
                    @Override
                    public void handleException(Throwable e) {
                        consumerLogged.incrementAndGet();
                    }

                    @Override
                    public void handleException(String message, Throwable e) {
                        consumerLogged.incrementAndGet();
                    }

                    @Override
                    public void handleException(String message, Exchange exchange, Throwable e) {
                        consumerLogged.incrementAndGet();
                    }
                });
        for (long v = 1; v <= 5; v++) {
            node.publish(TagValue.good("press01", "speed", v));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> failed.get() == 5);
        assertEquals(0, consumerLogged.get());
    }

    @Test
    void twoRoutesMayReadTheSameTags() throws Exception {
        route("window-feed", "fogwerk:tags?connection=press01&tag=speed");
        route("alarm", "fogwerk:tags?connection=press01&tag=speed");
        node.publish(TagValue.good("press01", "speed", 900L));
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 2);
        assertEquals(java.util.Set.of("window-feed", "alarm"), received.stream().map(Exchange::getFromRouteId)
                .collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void tagsConsumerAppliesTheEdgeFilterOptions() throws Exception {
        route("banded", "fogwerk:tags?connection=press01&tag=speed&deadband=10");
        for (long speed : new long[] {100, 105, 111, 115, 130}) {
            node.publish(TagValue.good("press01", "speed", speed));
        }
        node.publish(TagValue.of("press01", "speed", null, Quality.BAD, "timeout", 1, 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 4);
        assertEquals(List.of(100L, 111L, 130L), received.subList(0, 3).stream()
                .map(x -> x.getIn().getBody(TagValue.class).value()).toList());
        assertEquals(Quality.BAD, received.get(3).getIn().getBody(TagValue.class).quality());
    }

    @Test
    void sendLatestStartsWithTheValuesTheBusAlreadyHas() throws Exception {
        node.publish(TagValue.good("press01", "temperature", 21.5));
        node.publish(TagValue.good("press01", "speed", 700L));
        await().atMost(Duration.ofSeconds(5)).until(() -> node.core.bus().latest("press01").size() == 2);
        route("late", "fogwerk:tags?thing=press-a&tag=temperature&sendLatest=true");
        route("later", "fogwerk:tags?thing=press-a&tag=nothing&sendLatest=true");
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 1);
        assertEquals(21.5, received.get(0).getIn().getBody(TagValue.class).value());
        node.publish(TagValue.good("press01", "temperature", 22.0));
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 2);
        assertEquals(22.0, received.get(1).getIn().getBody(TagValue.class).value());
        assertEquals(2, received.size());
    }

    @Test
    void aSlowRouteLosesOnlyItsOwnValuesAndCountsThem() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        node.camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("fogwerk:tags?connection=press01&queueSize=16").routeId("slow")
                        .process(x -> release.await(10, TimeUnit.SECONDS)).process(received::add);
                from("fogwerk:tags?connection=press01&queueSize=16&overflow=drop-oldest").routeId("freshest")
                        .process(x -> release.await(10, TimeUnit.SECONDS));
            }
        });
        List<TagValue> fast = new CopyOnWriteArrayList<>();
        node.core.addListener(fast::addAll, Map.of("component.name", "fast"));
        for (long i = 0; i < 2000; i++) {
            node.publish(TagValue.good("press01", "speed", i));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> fast.size() == 2000);
        TagsConsumer slow = (TagsConsumer) node.camel.getRoute("slow").getConsumer();
        TagsConsumer freshest = (TagsConsumer) node.camel.getRoute("freshest").getConsumer();
        await().atMost(Duration.ofSeconds(5)).until(() -> slow.overflowCount() > 1900 && freshest.overflowCount() > 1900);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() + slow.overflowCount() == 2000);
    }

    @Test
    void shadowDeltaConsumerDeliversTheDelta() throws Exception {
        route("deltas", "fogwerk:shadow-delta?thing=press-*");
        node.shadow.update("press-a", ShadowStore.CLASSIC,
                new org.fogwerk.api.shadow.ShadowUpdate(Map.of("speed", 800), Map.of("speed", 700), null, null));
        node.shadow.update("drill", ShadowStore.CLASSIC,
                org.fogwerk.api.shadow.ShadowUpdate.desired(Map.of("speed", 1)));
        await().atMost(Duration.ofSeconds(5)).until(() -> received.size() >= 1);
        Exchange e = received.get(0);
        assertEquals(Map.of("speed", 800L), Map.of("speed", ((Number) e.getIn().getBody(Map.class).get("speed")).longValue()));
        assertEquals("press-a", e.getIn().getHeader(FogwerkHeaders.THING));
        assertEquals("press", e.getIn().getHeader(FogwerkHeaders.THING_TYPE));
        assertEquals(1L, e.getIn().getHeader(FogwerkHeaders.SHADOW_VERSION));
        assertEquals(1, received.size());
    }

    @Test
    void shadowProducerWritesDesiredOrReportedWithTheStoresChecks() throws Exception {
        Object out = template.requestBody("fogwerk:shadow/press-a", Map.of("spindle", Map.of("speed", 900)));
        assertEquals("{speed=900}", String.valueOf(((ShadowDocument) out).desired().get("spindle")));
        CamelExecutionException unmapped = assertThrows(CamelExecutionException.class,
                () -> template.requestBody("fogwerk:shadow/press-a", Map.of("speed", 900)));
        assertEquals("400", ((FogwerkOperationException) unmapped.getCause()).code(), "desired state only for mapped tags");
        String answer = template.requestBody("fogwerk:shadow/press-a/line?section=reported", "{\"mode\":\"auto\"}",
                String.class);
        assertTrue(answer.contains("\"mode\":\"auto\""), answer);
        assertEquals("auto", node.shadow.get("press-a", "line").reported().get("mode"));
        template.requestBodyAndHeader("fogwerk:shadow/press-a", Map.of("temperature", 20),
                FogwerkHeaders.SHADOW_SECTION, "reported");
        assertEquals(20L, ((Number) node.shadow.get("press-a", "").reported().get("temperature")).longValue());

        CamelExecutionException refused = assertThrows(CamelExecutionException.class,
                () -> template.requestBody("fogwerk:shadow/press-a?section=request",
                        "{\"state\":{\"desired\":{\"spindle\":{\"speed\":1}}},\"version\":99}"));
        FogwerkOperationException e = assertInstanceOf(FogwerkOperationException.class, refused.getCause());
        assertEquals("409", e.code());
        CamelExecutionException notJson = assertThrows(CamelExecutionException.class,
                () -> template.requestBody("fogwerk:shadow/press-a", "speed=1"));
        assertEquals("400", ((FogwerkOperationException) notJson.getCause()).code());
        assertEquals("{speed=900}", String.valueOf(node.shadow.get("press-a", "").desired().get("spindle")));
        assertTrue(node.audit.events().stream().anyMatch(a -> a.kind().equals("desired")
                && a.source().equals("route") && a.outcome().equals("accepted")), "route writes are audited");
    }

    @Test
    void writeProducerGoesThroughTheRegistrysChecks() {
        Object result = template.requestBody("fogwerk:write/press01/speed", 1500);
        assertEquals(WriteResult.Outcome.DONE, ((WriteResult) result).outcome());
        assertEquals(1, node.press.written.size());

        for (Object[] bad : new Object[][] {{"fogwerk:write/press01/speed", 5000}, {"fogwerk:write/press01/temperature", 1},
                {"fogwerk:write/press01/nothing", 1}, {"fogwerk:write/nowhere/speed", 1}}) {
            CamelExecutionException e = assertThrows(CamelExecutionException.class,
                    () -> template.requestBody((String) bad[0], bad[1]));
            FogwerkOperationException op = assertInstanceOf(FogwerkOperationException.class, e.getCause());
            assertEquals("REFUSED", op.code(), op.getMessage());
            assertTrue(op.getMessage().startsWith("write to "), op.getMessage());
        }
        assertEquals(1, node.press.written.size());
    }

    @Test
    void uplinkProducerSubmitsToTheNamedOutbox() {
        TestNode.RecordingUplink cloud = new TestNode.RecordingUplink("cloud", false);
        node.uplinks.put("cloud", cloud);
        node.uplinks.put("full", new TestNode.RecordingUplink("full", true));
        TagValue v = TagValue.good("press01", "speed", 5L);
        template.sendBody("fogwerk:uplink/cloud", v);
        template.sendBody("fogwerk:uplink/cloud", List.of(v, v));
        template.sendBodyAndHeader("fogwerk:uplink/cloud?connection=mes", "{\"parts\":3}", FogwerkHeaders.TAG, "summary");
        assertEquals(4, cloud.accepted.size());
        TagValue summary = cloud.accepted.get(3);
        assertEquals("mes", summary.connectionId());
        assertEquals("summary", summary.tag());
        assertEquals("{\"parts\":3}", summary.value());

        CamelExecutionException missing = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("fogwerk:uplink/nowhere", v));
        assertTrue(missing.getCause().getMessage().contains("no uplink named 'nowhere' (configured: cloud, full)"),
                missing.getCause().getMessage());
        CamelExecutionException full = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("fogwerk:uplink/full", v));
        assertEquals("REFUSED", ((FogwerkOperationException) full.getCause()).code());
        // the node's answer, not a fault of the route: logged without a stack trace of its own
        assertEquals(0, full.getCause().getStackTrace().length);
        assertTrue(full.getCause().getMessage().contains("outbox full"));
    }

    @Test
    void badEndpointsAreRefusedWithTheReason() {
        assertRefused("fogwerk:nothing", "unknown fogwerk endpoint");
        assertRefused("fogwerk:tags?thing=a&bogus=1", "bogus");
        assertRefused("fogwerk:tags?overflow=block", "overflow 'block'");
        assertRefused("fogwerk:tags?deadband=lots", "deadband");
        assertThrows(ResolveEndpointFailedException.class, () -> node.camel.getEndpoint("fogwerk:write/press01"));
        assertNotNull(node.camel.getEndpoint("fogwerk:shadow/press-a/line"));
        assertNull(node.camel.hasEndpoint("fogwerk:shadow/x"));
    }

    @Test
    void camelSetsTheOptionsAndTheirRangesAreCheckedAfterwards() {
        TagsEndpoint tags = (TagsEndpoint) node.camel.getEndpoint("fogwerk:tags?thing=press-*&queueSize=64"
                + "&overflow=drop-oldest&sendLatest=true");
        assertEquals(64, tags.queueSize());
        assertEquals(TagsEndpoint.Overflow.DROP_OLDEST, tags.overflowPolicy);
        assertTrue(tags.sendLatest());
        assertTrue(tags.thingPattern.pattern().matcher("press-a").matches());
        for (String[] bad : new String[][] {{"fogwerk:tags?queueSize=5", "queueSize=5 is outside 16..10000000"},
                {"fogwerk:shadow-delta?queueSize=0", "queueSize=0 is outside 1..1000000"},
                {"fogwerk:write/press01/speed?timeout=0", "timeout=0 is outside 1..3600000"},
                {"fogwerk:shadow/press-a?section=sideways", "section 'sideways' is not one of desired, reported, request"},
                {"fogwerk:shadow-delta?queueSize=many", "queueSize"}}) {
            assertRefused(bad[0], bad[1]);
        }
    }

    /** Camel cannot make the endpoint of {@code uri}, and says so with {@code reason}. */
    private void assertRefused(String uri, String reason) {
        ResolveEndpointFailedException e = assertThrows(ResolveEndpointFailedException.class,
                () -> node.camel.getEndpoint(uri));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
