package org.fogwerk.uplink.aws.internal;

import java.io.IOException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.uplink.spi.MqttSession;
import org.fogwerk.support.shadow.ShadowRequests;
import org.fogwerk.support.shadow.ShadowText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Serves the AWS IoT shadow topics on the node's own broker ({@code shadow.topics=aws}): a
 * client publishes to {@code $aws/things/<thing>/shadow[/name/<shadow>]/get|update|delete} and
 * gets the answers of the AWS service on {@code .../accepted} and {@code .../rejected}, plus the
 * {@code update/delta} and {@code update/documents} events of every accepted update, whoever
 * made it (MQTT clients, connectors, the shell).
 */
public final class LocalShadowService implements ShadowSession {

    private static final Logger LOG = LoggerFactory.getLogger(LocalShadowService.class);
    private static final String[] FILTERS = {ShadowTopics.ROOT + "+/shadow/+", ShadowTopics.ROOT + "+/shadow/name/+/+"};
    private static final int QUEUE = 1000;

    private final String uplink;
    private final Supplier<ShadowStore> shadows;
    private final Supplier<WriteGateway> gateway;
    private final int maxRequestBytes;
    private final Predicate<String> things;
    private final ShadowRequests requests;
    private final Runnable unregister;
    private volatile MqttSession client;

    /**
     * @param things which things are served (other nodes on the same broker may serve the rest)
     * @param listen registers a listener with the shadow store and returns how to unregister it
     */
    public LocalShadowService(String uplink, Supplier<ShadowStore> shadows, Supplier<WriteGateway> gateway,
            int maxRequestBytes, Predicate<String> things, Function<ShadowListener, Runnable> listen) {
        this.uplink = uplink;
        this.shadows = shadows;
        this.gateway = gateway;
        this.maxRequestBytes = maxRequestBytes;
        this.things = things;
        this.requests = new ShadowRequests("fogwerk-uplink-" + uplink + "-shadow-topics", QUEUE);
        this.unregister = listen.apply(new Events());
    }

    @Override
    public void connected(MqttSession c) {
        client = c;
        try {
            c.subscribe(FILTERS, new int[] {1, 1}).whenComplete((granted, e) -> {
                if (e != null) {
                    LOG.warn("Uplink {}: cannot subscribe to the shadow topics: {}", uplink, e.getMessage());
                } else if (java.util.Arrays.stream(granted).anyMatch(q -> q == 0x80)) {
                    LOG.warn("Uplink {}: the broker refused a subscription to the shadow topics {}", uplink,
                            String.join(", ", FILTERS));
                }
            });
        } catch (IOException e) {
            LOG.warn("Uplink {}: cannot subscribe to the shadow topics: {}", uplink, e.getMessage());
        }
    }

    @Override
    public boolean messageArrived(String topic, byte[] payload) {
        ShadowTopics.Topic t = ShadowTopics.parse(topic);
        if (t == null) {
            return false;
        }
        if (!t.request() || !things.test(t.thing())) {
            return true; // answers and events, or a thing this node does not serve
        }
        if (payload.length == 0 && "update".equals(t.op())) {
            // what a client sends to clear a retained update: no request, so no answer and no record
            return true;
        }
        if (payload.length > maxRequestBytes) {
            // refused before it waits in the queue, so large requests cannot pile up in memory; the
            // gateway records it (on its own thread: this is the MQTT client's)
            String why = "the request has " + payload.length + " bytes, more than " + maxRequestBytes;
            reject(t, 413, why, null);
            requests.offer(() -> recordRefusal(t, topic, 413, why));
            return true;
        }
        String full = "too many shadow requests waiting (" + QUEUE + ")";
        if (!requests.offer(() -> handle(t, payload), topic,
                n -> recordRefusal(t, topic, 429, n == 1 ? full : full + "; " + n + " requests alike refused"))) {
            // this is the MQTT client's callback thread: an oversized payload is not parsed here for its token
            reject(t, 429, full, ShadowJson.clientToken(ShadowJson.parse(payload)));
        }
        return true;
    }

    /**
     * A retained request is one the broker kept from an earlier publish and hands out at every
     * subscription: this node's things refuse it on {@code .../rejected}, never carry it out.
     */
    @Override
    public boolean messageArrived(String topic, byte[] payload, boolean retained) {
        if (!retained) {
            return messageArrived(topic, payload);
        }
        ShadowTopics.Topic t = ShadowTopics.parse(topic);
        if (t == null) {
            return false;
        }
        if (t.request() && things.test(t.thing())) {
            requests.offer(() -> refuseRetained(t, topic, payload));
        }
        return true;
    }

    private void refuseRetained(ShadowTopics.Topic t, String topic, byte[] payload) {
        WriteGateway door = gateway.get();
        if (door == null || !door.owns(t.thing())) {
            return; // as for any request: another node's thing, or not known yet, gets no answer
        }
        LOG.warn("Uplink {}: refused the retained shadow request on {}: {}", uplink, topic, WriteGateway.RETAINED);
        ShadowException refusal = door.refuseRetained(Caller.of(Source.AWS_LOCAL, "uplink " + uplink + ", topic "
                + topic + " (retained)"), t.thing(), t.shadow(), payload);
        reject(t, refusal.code(), refusal.getMessage(), refusal.clientToken());
    }

    /** A write request refused before the gateway saw it, recorded and counted there. */
    private void recordRefusal(ShadowTopics.Topic t, String topic, int code, String why) {
        WriteGateway door = gateway.get();
        if (door != null && !t.op().equals("get") && door.owns(t.thing())) {
            door.refused(caller(topic, null), t.op().equals("update") ? AuditEvent.KIND_DESIRED
                    : AuditEvent.KIND_SHADOW_DELETE, t.thing(), t.shadow(), code, why);
        }
    }

    private void handle(ShadowTopics.Topic t, byte[] payload) {
        String token = null;
        try {
            ShadowStore store = shadows.get();
            WriteGateway door = gateway.get();
            if (store == null || door == null) {
                // which things are this node's is not known yet: answer nothing rather than for another node
                LOG.debug("Uplink {}: shadow request for {} left unanswered: the {} is not available", uplink,
                        t.thing(), store == null ? "shadow store" : "write gateway");
                return;
            }
            if (!door.owns(t.thing())) {
                return; // another node's thing, or none: no answer, nothing created
            }
            String prefix = ShadowTopics.prefix(t.thing(), t.shadow());
            String topic = prefix + "/" + t.op();
            JsonNode request = null;
            if (payload.length > 0 && !t.op().equals("update")) {
                request = ShadowJson.parse(payload);
                String why = request == null || !request.isObject() ? "the payload must be empty or a JSON object"
                        : tokenRefusal(request.get("clientToken"));
                if (why != null) {
                    reject(t, 400, why, null);
                    recordRefusal(t, topic, 400, why);
                    return;
                }
                token = ShadowJson.clientToken(request);
            }
            switch (t.op()) {
                case "get":
                    ShadowDocument doc = store.get(t.thing(), t.shadow());
                    publish(prefix + "/get/accepted", ShadowJson.bytes(ShadowJson.getAnswer(doc, token)));
                    break;
                case "update":
                    String updateToken = ShadowJson.clientToken(ShadowJson.parse(payload));
                    publish(prefix + "/update/accepted", door.updateShadow(caller(topic, updateToken), t.thing(),
                            t.shadow(), payload));
                    break;
                default:
                    JsonNode v = request == null ? null : request.get("version");
                    if (v != null && !v.isNull() && !(v.isIntegralNumber() && v.canConvertToLong())) {
                        reject(t, 400, "Invalid version: must be a whole number", token);
                        recordRefusal(t, topic, 400, "Invalid version: must be a whole number");
                        return;
                    }
                    Long expected = v == null || v.isNull() ? null : v.longValue();
                    long version = door.deleteShadow(caller(topic, token), t.thing(), t.shadow(), expected, token);
                    publish(prefix + "/delete/accepted", ShadowJson.bytes(ShadowJson.deleteAnswer(version, token)));
                    break;
            }
        } catch (ShadowException e) {
            String echo = e.clientToken() != null ? e.clientToken() : token;
            if (echo == null && t.op().equals("update") && e.code() != 400) {
                echo = ShadowJson.clientToken(ShadowJson.parse(payload));
            }
            reject(t, e.code(), e.getMessage(), echo);
        } catch (RuntimeException e) {
            LOG.warn("Uplink {}: shadow request on {} failed: {}", uplink, ShadowTopics.prefix(t.thing(), t.shadow()),
                    e.toString());
            reject(t, 500, "internal error: " + e.getMessage(), token);
        }
    }

    /** Why a get's or delete's clientToken is not taken, as the store refuses one of an update; null when it is. */
    private static String tokenRefusal(JsonNode token) {
        if (token == null || token.isNull()) {
            return null;
        }
        if (!token.isTextual()) {
            return "clientToken: must be a string";
        }
        return ShadowText.clientTokenRefusal(token.textValue());
    }

    private Caller caller(String topic, String clientToken) {
        return Caller.of(Source.AWS_LOCAL, "uplink " + uplink + ", topic " + topic
                + (clientToken == null ? "" : ", clientToken " + clientToken));
    }

    private void reject(ShadowTopics.Topic t, int code, String message, String clientToken) {
        publish(ShadowTopics.prefix(t.thing(), t.shadow()) + "/" + t.op() + "/rejected",
                ShadowRequests.error(code, message, clientToken));
    }

    /** Answers and events go out at QoS 0: the node's own broker, nothing to replay after a reconnect. */
    private void publish(String topic, byte[] payload) {
        MqttSession c = client;
        if (c == null || !c.isConnected()) {
            return;
        }
        try {
            c.publish(topic, payload, 0, false);
        } catch (IOException e) {
            LOG.debug("Uplink {}: cannot publish {}: {}", uplink, topic, e.getMessage());
        }
    }

    /** The store's events become the delta and documents topics. */
    private final class Events implements ShadowListener {
        @Override
        public void accepted(ShadowDocument previous, ShadowDocument current, String clientToken) {
            if (!things.test(current.thing())) {
                return;
            }
            String prefix = ShadowTopics.prefix(current.thing(), current.shadow());
            publish(prefix + "/update/documents",
                    ShadowJson.bytes(ShadowJson.documents(previous, current, clientToken)));
        }

        @Override
        public void delta(ShadowDocument current, String clientToken) {
            if (!things.test(current.thing())) {
                return;
            }
            String prefix = ShadowTopics.prefix(current.thing(), current.shadow());
            publish(prefix + "/update/delta", ShadowJson.bytes(ShadowJson.delta(current, clientToken)));
        }
    }

    @Override
    public void connectionLost() {
        client = null;
    }

    @Override
    public void close() {
        client = null;
        unregister.run();
        requests.close();
    }
}
