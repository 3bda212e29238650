package org.fogwerk.camel.internal.edge;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RoutesDefinition;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.xml.in.ModelParser;
import org.fogwerk.api.TagValue;
import org.fogwerk.camel.internal.component.FogwerkHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The edge endpoints written as in the README, in XML DSL route files (fed by direct:, observed with mock:). */
class EdgeXmlRoutesTest {

    private static final String ROUTES = """
            <routes xmlns="http://camel.apache.org/schema/spring">
              <route id="pressure">
                <from uri="direct:pressure"/>
                <to uri="fogwerk:edge/filter?deadbandPercent=1&amp;deadbandSpan=400"/>
                <to uri="mock:pressure"/>
              </route>
              <route id="oven-alarms">
                <from uri="direct:oven"/>
                <to uri="fogwerk:edge/alarm?high=240&amp;low=150&amp;hysteresis=5"/>
                <to uri="mock:alarms"/>
              </route>
              <route id="stats">
                <from uri="direct:stats"/>
                <aggregate aggregationStrategy="fogwerkWindowStats" completionSize="3">
                  <correlationExpression><simple>${header.FogwerkConnection}/${header.FogwerkTag}</simple></correlationExpression>
                  <to uri="mock:stats"/>
                </aggregate>
              </route>
              <route id="feed-batch">
                <from uri="direct:batch"/>
                <to uri="fogwerk:edge/batch?size=2&amp;linger=1h"/>
              </route>
              <route id="compressed-batches">
                <from uri="fogwerk:edge/batch?linger=1h&amp;size=2"/>
                <convertBodyTo type="java.lang.String"/>
                <to uri="fogwerk:edge/gzip?level=6"/>
                <to uri="mock:gzip"/>
              </route>
            </routes>
            """;

    private final DefaultCamelContext context = new DefaultCamelContext();
    private ProducerTemplate template;

    @BeforeEach
    void start() throws Exception {
        context.addComponent("fogwerk", new EdgeTestComponent());
        EdgeBeans.beans().forEach(context.getRegistry()::bind);
        context.start();
        RoutesDefinition routes = new ModelParser(ResourceHelper.fromString("mem:edge.xml", ROUTES),
                "http://camel.apache.org/schema/spring").parseRoutesDefinition().orElseThrow();
        context.addRouteDefinitions(routes.getRoutes());
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private List<Object> bodies(String mock) {
        return context.getEndpoint("mock:" + mock, MockEndpoint.class).getExchanges().stream()
                .map(e -> e.getIn().getBody()).collect(Collectors.toList());
    }

    private void send(String direct, String tag, Object value, long time) {
        template.sendBodyAndHeaders("direct:" + direct, TagValue.good("plc1", tag, value, time, time),
                Map.of(FogwerkHeaders.CONNECTION, "plc1", FogwerkHeaders.TAG, tag));
    }

    @Test
    void percentOfSpanFilter() {
        send("pressure", "p", 100.0, 0);
        send("pressure", "p", 103.0, 1);
        send("pressure", "p", 104.0, 2);
        send("pressure", "p", 104.5, 3);
        assertEquals(List.of(TagValue.good("plc1", "p", 100.0, 0, 0), TagValue.good("plc1", "p", 104.5, 3, 3)),
                bodies("pressure"));
    }

    @Test
    void alarmEvents() {
        double[] temps = {200, 241, 236, 235, 149};
        for (int i = 0; i < temps.length; i++) {
            send("oven", "temperature", temps[i], i);
        }
        assertEquals(List.of(TagValue.good("plc1", "temperature_alarm", "HIGH", 1, 1),
                TagValue.good("plc1", "temperature_alarm", "NORMAL", 3, 3),
                TagValue.good("plc1", "temperature_alarm", "LOW", 4, 4)), bodies("alarms"));
    }

    @Test
    void aggregateWithWindowStats() {
        send("stats", "a", 1.0, 10);
        send("stats", "b", 100.0, 10);
        send("stats", "a", 2.0, 11);
        send("stats", "a", 6.0, 12);
        await().atMost(Duration.ofSeconds(5)).until(() -> bodies("stats").size() == 1);
        TagValue mean = (TagValue) bodies("stats").get(0);
        assertEquals("a", mean.tag());
        assertEquals(3.0, mean.value());
    }

    @Test
    void batchTurnedIntoTextAndCompressed() throws Exception {
        send("batch", "a", 1.0, 0);
        send("batch", "b", 2.0, 0);
        byte[] gz = (byte[]) bodies("gzip").get(0);
        assertEquals(List.of(TagValue.good("plc1", "a", 1.0, 0, 0), TagValue.good("plc1", "b", 2.0, 0, 0)).toString(),
                new String(Gzip.decompress(gz), StandardCharsets.UTF_8));
    }
}
