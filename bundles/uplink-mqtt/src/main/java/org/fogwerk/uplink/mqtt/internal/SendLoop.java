package org.fogwerk.uplink.mqtt.internal;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.fogwerk.support.concurrent.ParkedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the outbox to the broker in order on a thread of its own, within the in-flight
 * window, and removes each message from the outbox once the broker acknowledged it.
 */
final class SendLoop {

    /** Logs as the uplink, so one logger setting covers all of it. */
    private static final Logger LOG = LoggerFactory.getLogger(MqttUplink.class);

    private final UplinkSettings s;
    private final Outbox outbox;
    private final Profile profile;
    private final MqttAsyncClient client;
    private final Thread sender;

    private volatile boolean running = true;
    private volatile Connection connection;
    /** A group commit added messages since the sender last looked at the live head. */
    private volatile boolean liveCommitted = true;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong replayed = new AtomicLong();
    /** The profile held messages back at the sender's last look (only the sender thread uses it). */
    private boolean profileHeld;

    /**
     * One broker session. Two cursors share its in-flight window: the live head (messages
     * committed after the session began) and the replay tail (what waited out the outage). Live
     * messages may use the whole window and have a reserved share of it the replay cannot take,
     * so fresh values keep flowing while a backlog drains; each cursor keeps outbox order.
     */
    private final class Connection {
        final Semaphore shared;
        final Semaphore liveOnly;
        final SendCursor live;
        final SendCursor replay;
        /** The live head had a message it could not send yet; only the sender thread uses it. */
        boolean liveWaiting = true;
        /**
         * Messages below this sequence number were committed while the profile was not ready:
         * what it published when it became ready (Sparkplug births) is newer, so they go out as
         * a replay. Only the sender thread uses it.
         */
        long olderThanReady = -1;

        Connection(int window, long firstStored, long committed) {
            int reserved = window / 4;
            this.shared = new Semaphore(window - reserved);
            this.liveOnly = new Semaphore(reserved);
            this.replay = new SendCursor(outbox, firstStored, committed);
            this.live = new SendCursor(outbox, committed, Long.MAX_VALUE);
        }
    }

    SendLoop(UplinkSettings settings, Outbox outbox, Profile profile, MqttAsyncClient client) {
        this.s = settings;
        this.outbox = outbox;
        this.profile = profile;
        this.client = client;
        this.sender = MqttUplink.daemon(this::sendLoop, "fogwerk-uplink-" + s.name + "-sender");
    }

    void start() {
        sender.start();
    }

    /**
     * A broker session began: everything already in the outbox waited out the (re)connect and
     * is a replay, what is committed from now on is live.
     */
    void sessionStarted() {
        long first = outbox.first();
        long committed = outbox.committedUpTo();
        connection = new Connection(s.maxInflight, first < 0 ? committed : first, committed);
        wakeSender();
    }

    /** The broker session ended: nothing is sent until the next one starts. */
    void sessionEnded() {
        connection = null;
    }

    boolean inSession() {
        return connection != null;
    }

    /** Messages the broker acknowledged. */
    long sent() {
        return sent.get();
    }

    /** Of those, messages that had waited out an outage. */
    long replayed() {
        return replayed.get();
    }

    /** Stops the sender thread and waits a little for it to end. */
    void stop() {
        running = false;
        connection = null;
        ParkedThreads.wakeAndJoin(sender, 2000);
    }

    private void wakeSender() {
        LockSupport.unpark(sender);
    }

    /** What one attempt to send the next message of a cursor did. */
    private enum Step { SENT, WAITING, NOTHING }

    /** Called by the outbox writer after each group commit. */
    void committed() {
        liveCommitted = true;
        wakeSender();
    }

    private void sendLoop() {
        while (running) {
            Connection c = connection;
            if (c == null) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                continue;
            }
            if (outbox.failure() != null) {
                // the file cannot be written: nothing is read or sent (and acknowledged, which would
                // delete) until the outbox is opened again; what it holds is sent then
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                continue;
            }
            if (!profile.ready()) {
                profileHeld = true;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
                continue;
            }
            if (profileHeld) {
                profileHeld = false;
                c.olderThanReady = outbox.committedUpTo();
            }
            // one of each per round: the live head first, then the replay tail. The live head is
            // only looked at when a commit added something or it had more to send, so a replay
            // does not pay for a second lookup per message
            boolean progressed = false;
            if (liveCommitted || c.liveWaiting) {
                liveCommitted = false; // cleared before the lookup: a commit after it sets it again
                Step live = sendNext(c, c.live, false);
                c.liveWaiting = live != Step.NOTHING;
                progressed = live == Step.SENT;
            }
            if (!c.replay.done()) {
                progressed |= sendNext(c, c.replay, true) == Step.SENT;
            }
            if (!progressed) {
                // woken by a commit or an acknowledgement
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        }
    }

    /** Sends the cursor's next message if the window has room. */
    private Step sendNext(Connection c, SendCursor cursor, boolean replay) {
        long seq = cursor.next();
        if (seq < 0) {
            return Step.NOTHING;
        }
        if (outbox.isQuarantined(seq)) {
            cursor.sent(seq);
            return Step.SENT;
        }
        byte[] record = null;
        String topic;
        try {
            record = outbox.get(seq);
            if (record == null) {
                cursor.sent(seq); // acknowledged or dropped meanwhile
                return Step.SENT;
            }
            topic = Outbox.topic(record);
            String unpublishable = TopicTemplate.unpublishable(topic);
            if (unpublishable != null) {
                // stored before its tag's name was checked: it would drop the connection at every try
                outbox.quarantine(seq, record, "cannot be published: " + unpublishable);
                cursor.sent(seq);
                return Step.SENT;
            }
        } catch (DamagedRecord e) {
            outbox.quarantine(seq, e.record(), e.getMessage());
            cursor.sent(seq);
            return Step.SENT;
        } catch (RuntimeException e) {
            outbox.quarantine(seq, record, "cannot be read: " + e);
            cursor.sent(seq);
            return Step.SENT;
        }
        Semaphore permit = c.shared.tryAcquire() ? c.shared
                : !replay && c.liveOnly.tryAcquire() ? c.liveOnly : null;
        if (permit == null) {
            return Step.WAITING;
        }
        if (connection != c) {
            permit.release();
            return Step.WAITING;
        }
        try {
            profile.send(client, topic, record, Outbox.payloadOffset(record), seq, replay || seq < c.olderThanReady,
                    s.qos, acknowledged(seq, replay, permit));
            cursor.sent(seq);
            return Step.SENT;
        } catch (MqttException e) {
            permit.release();
            if (e.getReasonCode() == MqttException.REASON_CODE_MAX_INFLIGHT) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            } else if (connection == c) {
                LOG.debug("Uplink {}: publish of {} failed: {}", s.name, seq, e.getMessage());
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            return Step.WAITING;
        } catch (RuntimeException e) {
            // the client refused this message's content (a topic that is not UTF-8, a payload the
            // profile cannot encode): it will never go, and must not hold up the ones behind it
            permit.release();
            outbox.quarantine(seq, record, "cannot be published: " + e);
            cursor.sent(seq);
            return Step.SENT;
        }
    }

    /**
     * What the broker's answer to one message does: a delivered message leaves the outbox and is
     * counted; a failed one stays for the next session. Either way its permit is free again.
     */
    private IMqttActionListener acknowledged(long seq, boolean replay, Semaphore permit) {
        return new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                outbox.delivered(seq);
                sent.incrementAndGet();
                if (replay) {
                    replayed.incrementAndGet();
                }
                permit.release();
                wakeSender();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                // stays in the outbox; sent again after the reconnect
                permit.release();
            }
        };
    }
}
