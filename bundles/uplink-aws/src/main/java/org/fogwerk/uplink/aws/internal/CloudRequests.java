package org.fogwerk.uplink.aws.internal;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.fogwerk.api.uplink.spi.MqttSession;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Requests to the cloud shadows ({@code get}, {@code update}, {@code delete}) over the current
 * session, each matched with its accepted or rejected answer by client token.
 */
final class CloudRequests {

    /** The cloud's answer to one request. */
    record Reply(boolean accepted, JsonNode doc) {
        int code() {
            return doc == null ? 0 : doc.path("code").asInt();
        }

        String message() {
            return doc == null ? "" : doc.path("message").asText();
        }
    }

    private final String tokenPrefix;
    private final long replyTimeoutMs;
    private final AtomicLong tokens = new AtomicLong();
    private final Map<String, CompletableFuture<Reply>> replies = new ConcurrentHashMap<>();
    private volatile MqttSession client;
    private volatile boolean online;

    CloudRequests(String uplink, long replyTimeoutMs) {
        String name = uplink.length() > 30 ? uplink.substring(0, 30) : uplink;
        this.tokenPrefix = "fogwerk-sync-" + name + "-";
        this.replyTimeoutMs = replyTimeoutMs;
    }

    /** A new session; requests wait for {@link #online} until its subscriptions are in place. */
    void connected(MqttSession c) {
        client = c;
    }

    /** Whether the shadow topics are subscribed in the current session. */
    boolean online() {
        return online;
    }

    void online(boolean value) {
        online = value;
    }

    /** The session ended: requests waiting for an answer fail. */
    void connectionLost() {
        online = false;
        for (CompletableFuture<Reply> f : replies.values()) {
            f.completeExceptionally(new IllegalStateException("connection lost"));
        }
    }

    /** Whether a client token is one of the sync's own. */
    boolean ours(String token) {
        return token != null && token.startsWith(tokenPrefix);
    }

    /** Hands an answer to the request waiting for it; false when none waits. */
    boolean answered(String token, boolean accepted, JsonNode doc) {
        CompletableFuture<Reply> f = replies.get(token);
        if (f == null) {
            return false;
        }
        f.complete(new Reply(accepted, doc));
        return true;
    }

    /** A client token of the sync's own, so the echoes of its writes are recognised. */
    String token() {
        return tokenPrefix + tokens.incrementAndGet();
    }

    /** Publishes a request on the shadow's topics and waits for the answer. */
    Reply request(CloudShadowSync.Target t, String op, ObjectNode payload) throws SyncFailure.Failed {
        MqttSession c = client;
        if (c == null || !online) {
            throw new SyncFailure.Failed("not connected", 0);
        }
        String token = token();
        payload.put("clientToken", token);
        CompletableFuture<Reply> answer = new CompletableFuture<>();
        replies.put(token, answer);
        try {
            c.publish(ShadowTopics.prefix(t.thing(), t.shadow()) + "/" + op, ShadowJson.bytes(payload), 1, false);
            return answer.get(replyTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new SyncFailure.Failed(op + ": cannot publish: " + e.getMessage(), 1000);
        } catch (TimeoutException e) {
            throw new SyncFailure.Failed(op + ": no answer from the cloud within " + replyTimeoutMs + " ms", 2000);
        } catch (ExecutionException e) {
            throw new SyncFailure.Failed(op + ": " + e.getCause().getMessage(), 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SyncFailure.Failed("stopping", 0);
        } finally {
            replies.remove(token);
        }
    }

    /** Throttling and internal errors pass; a refusal for a bad document or policy needs someone to act. */
    static long retryOf(Reply r) {
        return r.code() == 429 || r.code() >= 500 ? 2000 : 0;
    }
}
