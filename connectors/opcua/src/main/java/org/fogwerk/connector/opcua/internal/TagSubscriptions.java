package org.fogwerk.connector.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.api.subscriptions.UaSubscription;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MonitoringMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoredItemCreateRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.MonitoringParameters;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.spi.TagSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The subscriptions of one connection's tags on a client's session: spreads the tags over as
 * many subscriptions as the {@link PublishPlan} says, with a monitored item per tag, turns their
 * notifications into tag values on the sink, and reads every current value when a session
 * resumes. Tags the server refuses are published BAD and named in the status.
 */
final class TagSubscriptions {

    /** Monitored items per CreateMonitoredItems request. */
    static final int BATCH = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(TagSubscriptions.class);

    private final String id;
    private final OpcUaSettings settings;
    private final TagCatalog catalog;
    private final TagSink sink;
    private final ConnectionStatus status;
    /** Called on every sign of life of the subscription: data or a keep-alive. */
    private final Runnable activity;
    private final AtomicLong valuesIn = new AtomicLong();
    private volatile List<UaSubscription> current = List.of();
    /** The tags behind the client handles of the current subscriptions. */
    private volatile OpcUaTag[] byHandle = new OpcUaTag[0];
    private volatile List<String> badTags = List.of();
    private volatile long lastDataMillis;

    TagSubscriptions(String id, OpcUaSettings settings, TagCatalog catalog, TagSink sink, ConnectionStatus status,
            Runnable activity) {
        this.id = id;
        this.settings = settings;
        this.catalog = catalog;
        this.sink = sink;
        this.status = status;
        this.activity = activity;
    }

    /** True while the tags are subscribed on the current session. */
    boolean active() {
        return !current.isEmpty();
    }

    /** The session the subscriptions lived on is gone for good. */
    void forget() {
        current = List.of();
    }

    /** Milo could not move {@code sub} to a new session: the tags are subscribed again, all of them. */
    void transferFailed(UaSubscription sub) {
        if (current.contains(sub)) {
            current = List.of();
        }
    }

    /** Sets the status from the outcome of the last subscribe. */
    void reportStatus() {
        status.subscribed(badTags);
    }

    void subscribe(OpcUaClient c) throws Exception {
        NamespaceTable ns = c.readNamespaceTableAsync().get(settings.requestTimeout(), TimeUnit.MILLISECONDS);
        List<OpcUaTag> all = settings.tags();
        List<String> bad = new ArrayList<>();
        List<OpcUaTag> resolved = new ArrayList<>();
        List<NodeId> nodeIds = new ArrayList<>();
        for (OpcUaTag t : all) {
            Optional<NodeId> n = NodeAccess.resolve(t.nodeId(), ns);
            if (n.isEmpty()) {
                bad.add(t.name() + " (namespace of " + t.nodeId() + " not on the server)");
                publishBad(t.name(), "namespace not on the server");
            } else {
                resolved.add(t);
                nodeIds.add(n.get());
            }
        }
        catalog.readDataTypes(c, resolved, nodeIds, settings.requestTimeout());
        deleteLeftovers(c);

        OpcUaTag[] handles = resolved.toArray(new OpcUaTag[0]);
        byHandle = handles;
        int count = Math.min(settings.publishPlan().subscriptions(), Math.max(1, resolved.size()));
        List<UaSubscription> created = new ArrayList<>(count);
        int failedItems = 0;
        try {
            for (int k = 0; k < count; k++) {
                // handles are indexes into all resolved tags: one array maps every subscription's items
                int from = (int) ((long) resolved.size() * k / count);
                int to = (int) ((long) resolved.size() * (k + 1) / count);
                UaSubscription sub = c.getSubscriptionManager().createSubscription(settings.publishingInterval())
                        .get(settings.requestTimeout(), TimeUnit.MILLISECONDS);
                created.add(sub);
                sub.addNotificationListener(new UaSubscription.NotificationListener() {
                    @Override
                    public void onDataChangeNotification(UaSubscription s, List<UaMonitoredItem> items,
                            List<DataValue> values, DateTime publishTime) {
                        onData(handles, items, values);
                    }

                    @Override
                    public void onKeepAliveNotification(UaSubscription s, DateTime publishTime) {
                        activity.run();
                    }
                });
                failedItems += addItems(c, sub, handles, nodeIds, from, to, bad);
            }
        } catch (Exception e) {
            created.forEach(sub -> c.getSubscriptionManager().deleteSubscription(sub.getSubscriptionId()));
            throw e;
        }
        current = List.copyOf(created);
        badTags = List.copyOf(bad);
        reportStatus();
        LOG.info("OPC UA connection {}: subscribed {} of {} tags in {} subscription(s), {} publish requests in flight",
                id, resolved.size() - failedItems, all.size(), count,
                Math.min(count + 1, settings.publishPlan().publishRequests()));
    }

    /** Creates the items of handles {@code from..to-1} in {@code sub}; returns how many the server refused. */
    private int addItems(OpcUaClient c, UaSubscription sub, OpcUaTag[] handles, List<NodeId> nodeIds, int from,
            int to, List<String> bad) throws Exception {
        int failedItems = 0;
        for (int start = from; start < to; start += BATCH) {
            int end = Math.min(to, start + BATCH);
            List<MonitoredItemCreateRequest> requests = new ArrayList<>(end - start);
            for (int i = start; i < end; i++) {
                requests.add(request(c, i, handles[i], nodeIds.get(i)));
            }
            List<UaMonitoredItem> items = sub.createMonitoredItems(TimestampsToReturn.Both, requests)
                    .get(settings.requestTimeout(), TimeUnit.MILLISECONDS);
            for (UaMonitoredItem item : items) {
                if (item.getStatusCode().isBad()) {
                    failedItems++;
                    OpcUaTag t = handles[item.getClientHandle().intValue()];
                    String name = ValueMapper.statusName(item.getStatusCode());
                    bad.add(t.name() + " (" + t.nodeId() + ": " + name + ")");
                    publishBad(t.name(), name);
                }
            }
            // items that failed stay out of the subscription: delete them so a later retry starts clean
            List<UaMonitoredItem> failed = items.stream().filter(i -> i.getStatusCode().isBad())
                    .collect(Collectors.toList());
            if (!failed.isEmpty()) {
                sub.deleteMonitoredItems(failed);
            }
        }
        return failedItems;
    }

    /**
     * Subscriptions still on the client when the tags are subscribed again (some moved to the new
     * session while others could not) would report their tags twice: they go first.
     */
    private void deleteLeftovers(OpcUaClient c) {
        for (UaSubscription old : c.getSubscriptionManager().getSubscriptions()) {
            try {
                c.getSubscriptionManager().deleteSubscription(old.getSubscriptionId())
                        .get(settings.requestTimeout(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.debug("OPC UA connection {}: subscription {} not deleted: {}", id, old.getSubscriptionId(),
                        UaErrors.describe(e));
            }
        }
    }

    private MonitoredItemCreateRequest request(OpcUaClient c, int handle, OpcUaTag t, NodeId nodeId) {
        double sampling = t.samplingInterval() != null ? t.samplingInterval() : settings.samplingInterval();
        ExtensionObject filter = null;
        double deadband = t.deadband() != null ? t.deadband() : settings.deadbandValue();
        int type = settings.deadbandType();
        NodeId typeId = catalog.nodeType(t.name());
        // servers refuse a deadband on non-numeric nodes (Bad_FilterNotAllowed): only numbers get one
        boolean numeric = typeId != null && ValueMapper.dataType(typeId).isNumeric();
        if (numeric && (type != OpcUaSettings.DEADBAND_NONE && deadband > 0
                || t.deadband() != null && t.deadband() > 0)) {
            int effectiveType = type == OpcUaSettings.DEADBAND_NONE ? OpcUaSettings.DEADBAND_ABSOLUTE : type;
            filter = ExtensionObject.encode(c.getStaticSerializationContext(),
                    new DataChangeFilter(DataChangeTrigger.StatusValue, uint(effectiveType), deadband));
        }
        MonitoringParameters params = new MonitoringParameters(uint(handle), sampling, filter,
                uint(settings.queueSizeFor(sampling)), settings.discardOldest());
        return new MonitoredItemCreateRequest(new ReadValueId(nodeId, AttributeId.Value.uid(), null,
                QualifiedName.NULL_VALUE), MonitoringMode.Reporting, params);
    }

    private void onData(OpcUaTag[] handles, List<UaMonitoredItem> items, List<DataValue> values) {
        long now = System.currentTimeMillis();
        lastDataMillis = now;
        activity.run();
        List<TagValue> out = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            int h = items.get(i).getClientHandle().intValue();
            if (h < 0 || h >= handles.length) {
                continue;
            }
            out.add(ValueMapper.toTagValue(id, handles[h].name(), values.get(i), now));
        }
        valuesIn.addAndGet(out.size());
        sink.publishAll(out);
    }

    /**
     * The node marked every tag BAD while the session was away; a resumed subscription reports
     * only what changed since, so the current value of every tag is read and published.
     */
    void publishCurrentValues(OpcUaClient c) {
        OpcUaTag[] handles = byHandle;
        List<UaMonitoredItem> items = new ArrayList<>();
        current.forEach(sub -> items.addAll(sub.getMonitoredItems()));
        for (int from = 0; from < items.size(); from += BATCH) {
            List<UaMonitoredItem> part = items.subList(from, Math.min(items.size(), from + BATCH));
            List<NodeId> nodes = part.stream().map(i -> i.getReadValueId().getNodeId()).collect(Collectors.toList());
            try {
                List<DataValue> values = c.readValues(0.0, TimestampsToReturn.Both, nodes)
                        .get(settings.requestTimeout(), TimeUnit.MILLISECONDS);
                onData(handles, part, values);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.debug("OPC UA connection {}: current values not read after the session came back: {}", id,
                        UaErrors.describe(e));
            }
        }
    }

    private void publishBad(String tag, String reason) {
        sink.publish(TagValue.bad(id, tag, reason));
    }

    /** The monitored items on the client's session (tests check for duplicates). */
    static int monitoredItems(OpcUaClient c) {
        return c.getSubscriptionManager().getSubscriptions().stream().mapToInt(s -> s.getMonitoredItems().size())
                .sum();
    }

    long valuesIn() {
        return valuesIn.get();
    }

    long lastDataMillis() {
        return lastDataMillis;
    }
}
