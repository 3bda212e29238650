package org.fogwerk.uplink.sparkplug.internal;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

import org.eclipse.tahu.protobuf.SparkplugBProto.Payload;
import org.eclipse.tahu.protobuf.SparkplugBProto.Payload.Metric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.InvalidProtocolBufferException;

/**
 * What the edge node is sent: NCMD (rebirth), DCMD (writes, handed to {@link DeviceCommands})
 * and the primary host application's STATE, each handled in arrival order on a thread of its own.
 */
final class NodeCommands {

    /** Logs as the profile, so one logger setting covers all of it. */
    private static final Logger LOG = LoggerFactory.getLogger(SparkplugProfile.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * How far a STATE's timestamp may be ahead of the node's clock. An earlier STATE than the last
     * is ignored, as Sparkplug asks; a timestamp far in the future, from a client that may publish
     * on the host's topic, would make every genuine STATE after it look old.
     */
    static final long STATE_AHEAD_MAX_MS = 10 * 60_000L;

    private final String uplink;
    private final SparkplugSettings sp;
    private final String dcmdPrefix;
    private final DeviceCommands deviceCommands;
    private final EdgeSession session;
    private final ExecutorService incoming;
    /** Ends the session when the primary host goes offline, so the node tries the next server. */
    private final Consumer<String> hostOffline;

    NodeCommands(String uplink, SparkplugSettings sp, DeviceCommands deviceCommands, EdgeSession session,
            ExecutorService incoming, Consumer<String> hostOffline) {
        this.uplink = uplink;
        this.sp = sp;
        this.dcmdPrefix = sp.dcmdFilter.substring(0, sp.dcmdFilter.length() - 1);
        this.deviceCommands = deviceCommands;
        this.session = session;
        this.incoming = incoming;
        this.hostOffline = hostOffline;
    }

    /**
     * Queues what arrived on the node's subscriptions; all of it is the profile's. A retained
     * NCMD or DCMD (Sparkplug has them published without the retain flag) is an old command the
     * broker hands out at every reconnect: refused, never carried out. The host's STATE is
     * retained by design.
     */
    boolean messageArrived(String topic, byte[] payload, boolean retained) {
        Runnable work;
        if (retained && topic.equals(sp.ncmd)) {
            work = () -> deviceCommands.refuseRetained(sp.edgeNode, "NCMD", topic);
        } else if (retained && topic.startsWith(dcmdPrefix)) {
            String device = topic.substring(dcmdPrefix.length());
            work = () -> deviceCommands.refuseRetained(device, "DCMD " + device, topic);
        } else if (topic.equals(sp.ncmd)) {
            work = () -> nodeCommand(payload);
        } else if (topic.startsWith(dcmdPrefix)) {
            String device = topic.substring(dcmdPrefix.length());
            work = () -> deviceCommands.handle(device, payload);
        } else if (topic.equals(sp.state)) {
            work = () -> hostState(payload);
        } else {
            return true; // nothing else is subscribed
        }
        try {
            incoming.execute(work);
        } catch (RejectedExecutionException e) {
            deviceCommands.reject(topic, "more than 1000 commands waiting");
        }
        return true;
    }

    private void nodeCommand(byte[] payload) {
        Payload p;
        try {
            p = Payload.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            deviceCommands.reject(sp.ncmd, "not a Sparkplug B payload: " + e.getMessage());
            return;
        }
        for (Metric m : p.getMetricsList()) {
            if (SparkplugProfile.REBIRTH.equals(m.getName())) {
                if (!m.hasBooleanValue()) {
                    deviceCommands.reject(sp.ncmd, SparkplugProfile.REBIRTH + " needs a boolean_value");
                } else if (m.getBooleanValue()) {
                    if (sp.state == null || session.hostOnline()) {
                        session.births("rebirth requested");
                    }
                }
            } else {
                deviceCommands.reject(sp.ncmd, "unknown node metric " + (m.hasName() ? m.getName() : "alias " + m.getAlias()));
            }
        }
    }

    /** The primary host application's STATE: births when online, a new session elsewhere when offline. */
    private void hostState(byte[] payload) {
        if (payload.length == 0) {
            return; // the retained STATE was cleared
        }
        JsonNode doc;
        try {
            doc = JSON.readTree(payload);
        } catch (IOException e) {
            deviceCommands.reject(sp.state, "STATE is not JSON");
            return;
        }
        if (doc == null || !doc.path("online").isBoolean() || !doc.path("timestamp").canConvertToLong()) {
            deviceCommands.reject(sp.state, "STATE needs {\"online\": true|false, \"timestamp\": <ms>}");
            return;
        }
        long ts = doc.get("timestamp").asLong();
        if (ts > System.currentTimeMillis() + STATE_AHEAD_MAX_MS) {
            deviceCommands.reject(sp.state, "its timestamp " + ts + " is more than " + STATE_AHEAD_MAX_MS / 60_000
                    + " minutes ahead of the node's clock");
            return;
        }
        boolean online = doc.get("online").asBoolean();
        EdgeSession.HostState host = session.host(ts, online);
        if (host == EdgeSession.HostState.STALE) {
            LOG.debug("Uplink {}: stale STATE of {} ignored", uplink, sp.primaryHost);
            return;
        }
        if (online) {
            if (!session.ready() && !session.settling()) {
                session.births("primary host " + sp.primaryHost + " online");
            }
        } else if (host == EdgeSession.HostState.IN_SESSION) {
            if (!session.born() && !sp.severalServers) {
                // the broker hands out the host's last STATE at every subscription: ending a session
                // that has no births for it would only bring the same STATE again, with the same answer
                LOG.info("Uplink {}: primary host {} is offline: the births wait for its STATE online", uplink,
                        sp.primaryHost);
                return;
            }
            LOG.warn("Uplink {}: primary host {} is offline: ending the session, trying the next server", uplink,
                    sp.primaryHost);
            session.hostGone();
            hostOffline.accept("primary host " + sp.primaryHost + " offline");
        }
    }
}
