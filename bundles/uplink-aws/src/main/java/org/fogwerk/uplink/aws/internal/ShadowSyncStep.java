package org.fogwerk.uplink.aws.internal;

import java.util.function.Supplier;

import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.uplink.aws.internal.CloudRequests.Reply;
import org.fogwerk.uplink.aws.internal.CloudShadowSync.Direction;
import org.fogwerk.uplink.aws.internal.CloudShadowSync.Target;
import org.fogwerk.uplink.aws.internal.SyncFailure.Conflict;
import org.fogwerk.uplink.aws.internal.SyncFailure.Failed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One sync of one shadow: reads the local and the cloud side, merges them against the state
 * both last agreed on (or only pushes or pulls, by direction), writes the outcome to the sides
 * that lack it and records it in the {@link SyncBook}.
 */
final class ShadowSyncStep {

    private static final long STORE_RETRY_MS = 5000;

    private final String uplink;
    private final Direction direction;
    private final Supplier<ShadowStore> shadows;
    private final Supplier<WriteGateway> gateway;
    private final SyncBook book;
    private final CloudRequests requests;

    ShadowSyncStep(String uplink, Direction direction, Supplier<ShadowStore> shadows, Supplier<WriteGateway> gateway,
            SyncBook book, CloudRequests requests) {
        this.uplink = uplink;
        this.direction = direction;
        this.shadows = shadows;
        this.gateway = gateway;
        this.book = book;
        this.requests = requests;
    }

    /** The write gateway, or a failure to retry while it is away. */
    private WriteGateway door() throws Failed {
        WriteGateway g = gateway.get();
        if (g == null) {
            throw new Failed("the write gateway is not available (it needs the shadow store and the audit trail)",
                    STORE_RETRY_MS);
        }
        return g;
    }

    /** Where a cloud document hint keeps the client token of the cloud-side change that made it. */
    static final String CLOUD_TOKEN = "fogwerkCloudClientToken";

    /** The client token of the cloud change being brought down, or null; only the sync's thread touches it. */
    private String cloudToken;

    private Caller caller(String clientToken) {
        // the sync's own token, and the token of whoever changed the cloud's shadow (anyone who may
        // publish on the cloud broker's documents topic is taken for the cloud: the trail says who)
        return Caller.of(Source.AWS_CLOUD, "uplink " + uplink + ", clientToken " + clientToken
                + (cloudToken == null ? "" : ", for the cloud's change by clientToken " + cloudToken));
    }

    /** Brings one shadow in step, the way {@code aws.sync.direction} says. */
    void sync(Target t, CloudShadowSync.Pending p) throws Conflict, Failed {
        cloudToken = p.cloud() == null ? null : p.cloud().path(CLOUD_TOKEN).asText(null);
        if (!requests.online()) {
            return; // the full sync after the reconnect covers it
        }
        ShadowStore store = shadows.get();
        if (store == null) {
            throw new Failed("the shadow store is not available", STORE_RETRY_MS);
        }
        String key = t.key();
        SyncBook.Entry entry = book.get(key);

        ShadowDocument local;
        try {
            local = store.get(t.thing(), t.shadow());
        } catch (ShadowException e) {
            if (e.code() != 404) {
                throw new Failed("local shadow: " + e.getMessage(), STORE_RETRY_MS);
            }
            local = null;
        }
        ObjectNode localState = local == null ? ShadowMerge.empty() : ShadowMerge.stateOf(stateDoc(local));
        ObjectNode base = entry == null ? ShadowMerge.empty() : entry.base();
        if (direction == Direction.DEVICE_TO_CLOUD) {
            push(t, entry, base, local, localState);
            return;
        }

        ObjectNode cloudState;
        long cloudVersion;
        boolean cloudExists;
        JsonNode hint = p.cloud();
        if (!p.readCloud() && hint != null && (entry == null || hint.path("version").asLong() > entry.cloudVersion())) {
            cloudState = ShadowMerge.stateOf(hint);
            cloudVersion = hint.path("version").asLong();
            cloudExists = true;
        } else if (!p.readCloud() && entry != null) {
            // nothing new heard from the cloud: it is where the last sync left it; a 409 says otherwise
            if ((local == null ? 0 : local.version()) == entry.localVersion()) {
                return; // neither side moved since the last sync (an echo or an old event)
            }
            cloudState = entry.base();
            cloudVersion = entry.cloudVersion();
            cloudExists = cloudVersion > 0;
        } else {
            Reply r = requests.request(t, "get", JsonNodeFactory.instance.objectNode());
            if (r.accepted()) {
                cloudState = ShadowMerge.stateOf(r.doc());
                cloudVersion = r.doc().path("version").asLong();
                cloudExists = true;
            } else if (r.code() == 404) {
                cloudState = ShadowMerge.empty();
                cloudVersion = 0;
                cloudExists = false;
            } else {
                throw refused("get", r);
            }
        }

        if (direction == Direction.CLOUD_TO_DEVICE) {
            pull(store, t, entry, base, local, cloudExists ? cloudState : null, cloudVersion);
            return;
        }
        ObjectNode merged = ShadowMerge.merge(base, localState, cloudState);
        boolean gone = entry != null && ShadowMerge.isEmpty(merged);
        long localVersion;
        try {
            localVersion = writeLocal(store, t, local, localState, merged, gone && !cloudExists);
        } catch (Refused e) {
            // the write policy refuses the cloud's change: it is booked as seen, so the node's next
            // changes take the node's state up to the cloud instead of bringing the same change down
            // (and refusing it) again at each of them
            book.put(key, new SyncBook.Entry(cloudState, local == null ? 0 : local.version(), cloudVersion));
            throw e.failed;
        }
        long newCloudVersion = writeCloud(t, cloudExists, cloudVersion, cloudState, merged, gone && local == null);
        if (localVersion == 0 && newCloudVersion == 0) {
            book.remove(key);
        } else {
            book.put(key, new SyncBook.Entry(merged, localVersion, newCloudVersion));
        }
    }

    /**
     * device-to-cloud: what changed on the node since the last sync goes to the cloud; fields
     * only the cloud has stay there and do not come down.
     */
    private void push(Target t, SyncBook.Entry entry, ObjectNode base, ShadowDocument local, ObjectNode localState)
            throws Failed {
        long localVersion = local == null ? 0 : local.version();
        if (entry != null && localVersion == entry.localVersion()) {
            return;
        }
        if (local == null) {
            if (entry != null) {
                deleteCloud(t);
                book.remove(t.key());
            }
            return;
        }
        long cloudVersion = entry == null ? 0 : entry.cloudVersion();
        ObjectNode patch = ShadowMerge.patch(base, localState);
        if (!patch.isEmpty()) {
            Reply r = requests.request(t, "update", stateRequest(patch));
            if (!r.accepted()) {
                throw refused("update", r);
            }
            cloudVersion = r.doc().path("version").asLong();
        }
        book.put(t.key(), new SyncBook.Entry(localState, localVersion, cloudVersion));
    }

    /**
     * cloud-to-device: what changed in the cloud since the last sync comes to the node; fields
     * only the node has stay there and do not go up. {@code cloudState} is null when the cloud
     * shadow does not exist.
     */
    private void pull(ShadowStore store, Target t, SyncBook.Entry entry, ObjectNode base, ShadowDocument local,
            ObjectNode cloudState, long cloudVersion) throws Failed {
        try {
            if (cloudState == null) {
                if (entry != null && local != null) {
                    deleteLocal(t, null);
                }
                book.remove(t.key());
                return;
            }
            long localVersion = local == null ? 0 : local.version();
            ObjectNode patch = ShadowMerge.patch(base, cloudState);
            if (!patch.isEmpty()) {
                localVersion = updateLocal(t, stateRequest(patch));
            }
            book.put(t.key(), new SyncBook.Entry(cloudState, localVersion, cloudVersion));
        } catch (ShadowException e) {
            if (e.code() == 404) {
                book.remove(t.key());
                return;
            }
            if (e.code() == 403) {
                // refused by the write policy: booked as seen, so it is not brought down again
                book.put(t.key(), new SyncBook.Entry(cloudState, local == null ? 0 : local.version(), cloudVersion));
            }
            throw new Failed("local shadow refused the cloud's change: " + e.code() + " " + e.getMessage(),
                    e.code() == 429 || e.code() == 500 ? STORE_RETRY_MS : 0);
        }
    }

    /** Brings the local shadow to {@code merged}; returns its version afterwards (0: none). */
    private long writeLocal(ShadowStore store, Target t, ShadowDocument local, ObjectNode localState,
            ObjectNode merged, boolean delete) throws Conflict, Failed, Refused {
        try {
            if (delete) {
                if (local == null) {
                    return 0;
                }
                deleteLocal(t, local.version());
                return 0;
            }
            ObjectNode patch = ShadowMerge.patch(localState, merged);
            if (patch.isEmpty()) {
                return local == null ? 0 : local.version();
            }
            ObjectNode request = stateRequest(patch);
            if (local != null) {
                request.put("version", local.version());
            }
            return updateLocal(t, request);
        } catch (ShadowException e) {
            if (e.code() == 409 || e.code() == 404) {
                throw new Conflict("local shadow changed meanwhile: " + e.getMessage());
            }
            Failed failed = new Failed("local shadow refused the merge: " + e.code() + " " + e.getMessage(),
                    e.code() == 429 || e.code() == 500 ? STORE_RETRY_MS : 0);
            if (e.code() == 403) {
                throw new Refused(failed);
            }
            throw failed;
        }
    }

    /** The write gateway refused the merged state with 403 (the write policy). */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final transient Failed failed;

        Refused(Failed failed) {
            super(failed.getMessage(), null, false, false);
            this.failed = failed;
        }
    }

    /** Brings the cloud shadow to {@code merged}; returns its version afterwards (0: none). */
    private long writeCloud(Target t, boolean exists, long version, ObjectNode cloudState, ObjectNode merged,
            boolean delete) throws Conflict, Failed {
        if (delete) {
            if (!exists) {
                return 0;
            }
            deleteCloud(t);
            return 0;
        }
        ObjectNode patch = ShadowMerge.patch(cloudState, merged);
        if (patch.isEmpty()) {
            return exists ? version : 0;
        }
        ObjectNode request = stateRequest(patch);
        if (exists) {
            request.put("version", version);
        }
        Reply r = requests.request(t, "update", request);
        if (r.accepted()) {
            return r.doc().path("version").asLong();
        }
        if (r.code() == 409) {
            throw new Conflict("cloud shadow changed meanwhile: " + r.message());
        }
        throw refused("update", r);
    }

    /** Deletes the cloud shadow; one that is gone already is as good as deleted. */
    private void deleteCloud(Target t) throws Failed {
        Reply r = requests.request(t, "delete", JsonNodeFactory.instance.objectNode());
        if (!r.accepted() && r.code() != 404) {
            throw refused("delete", r);
        }
    }

    /** Deletes the local shadow through the write gateway, in the cloud's name. */
    private void deleteLocal(Target t, Long expectedVersion) throws ShadowException, Failed {
        String token = requests.token();
        door().deleteShadow(caller(token), t.thing(), t.shadow(), expectedVersion, token);
    }

    /**
     * Sends an update request to the local shadow through the write gateway, in the cloud's
     * name; returns the shadow's version afterwards.
     */
    private long updateLocal(Target t, ObjectNode request) throws ShadowException, Failed {
        String token = requests.token();
        request.put("clientToken", token);
        JsonNode answer = ShadowJson.parse(door().updateShadow(caller(token), t.thing(), t.shadow(),
                ShadowJson.bytes(request)));
        return answer.path("version").asLong();
    }

    /** An update request that brings {@code state} to the patch. */
    private static ObjectNode stateRequest(ObjectNode patch) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.set("state", patch);
        return request;
    }

    private static Failed refused(String request, Reply r) {
        return new Failed(request + " refused by the cloud: " + r.code() + " " + r.message(), CloudRequests.retryOf(r));
    }

    private static JsonNode stateDoc(ShadowDocument d) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.set("state", ShadowJson.state(d));
        return root;
    }
}
