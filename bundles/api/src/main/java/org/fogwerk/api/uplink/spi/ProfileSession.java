package org.fogwerk.api.uplink.spi;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import org.fogwerk.api.TagValue;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A profile's side of one uplink. Methods left at their defaults give the engine's own behaviour:
 * JSON telemetry on {@code topic.template} (the {@code plain} profile) and commands on
 * {@code command.topic}.
 *
 * <p>Threads: {@link Encoder} instances are used by one thread at a time; {@link #connected},
 * {@link #messageArrived} and {@link #connectionLost} come from the MQTT client's threads;
 * {@link #send} from the uplink's single sender thread.
 */
@ConsumerType
public interface ProfileSession extends AutoCloseable {

    /** Encodes accepted values into stored outbox payloads. */
    interface Encoder {

        /** The topic of a value (the key that batches are grouped by). */
        String topic(String connection, String thing, TagValue v);

        /** Payload of one value. */
        byte[] single(TagValue v, String thing);

        /** Payload of several values of one thing. */
        byte[] batch(String thing, List<TagValue> values);
    }

    /**
     * Whether the engine encodes and sends the telemetry itself, as JSON on {@code topic.template};
     * when not, {@link #encoder()}, {@link #batched()} and {@link #send} do.
     */
    default boolean engineTelemetry() {
        return true;
    }

    /** A fresh encoder, one per writing thread; only asked when not {@link #engineTelemetry()}. */
    default Encoder encoder() {
        throw new UnsupportedOperationException("the engine encodes this profile's telemetry");
    }

    /** Whether values are grouped into batches per topic; only asked when not {@link #engineTelemetry()}. */
    default boolean batched() {
        return false;
    }

    /**
     * Publishes one stored outbox message; only called when not {@link #engineTelemetry()}.
     *
     * @param seq    the outbox sequence number, increasing over the life of the outbox
     * @param replay whether the message is older than the session's start: it waited out a
     *               disconnection, or was stored while the profile was not {@link #ready()} (so
     *               before what the profile published when it became ready, such as births)
     * @param qos    the uplink's QoS ({@code qos})
     * @return completes when the message is delivered (it leaves the outbox) or failed (it is
     *         sent again in the next session)
     * @throws IOException when the session refuses the message at once; it is tried again
     * @throws IllegalArgumentException when the message can never be sent (not a payload of this
     *         profile): the uplink sets it aside in its quarantine and counts it
     */
    default CompletionStage<Void> send(MqttSession session, String topic, byte[] stored, int offset, long seq,
            boolean replay, int qos) throws IOException {
        throw new UnsupportedOperationException("the engine sends this profile's telemetry");
    }

    /** Whether the uplink subscribes to {@code command.topic} (shadow updates as JSON). */
    default boolean commands() {
        return true;
    }

    /**
     * Called once as the uplink starts. {@code restartSession} ends the current session cleanly
     * ({@link #closing} first) and connects again, {@link #beforeConnect} first; the argument is
     * the reason the uplink status shows.
     */
    default void restartWith(Consumer<String> restartSession) {
    }

    /** Called before every connect attempt: will message and other session options. */
    default void beforeConnect(ConnectOptions options) {
    }

    /**
     * A new session is up. Runs before any outbox message is sent on it: subscribe here, and
     * publish what must come first (births). An exception is logged; the session stays up.
     */
    default void connected(MqttSession session) throws IOException {
    }

    /** Whether outbox messages may be sent now (births done, host application online, ...). */
    default boolean ready() {
        return true;
    }

    /**
     * A message arrived on a subscription of the session. Returns {@code false} when the profile
     * does not handle the topic; the uplink then treats it as a command when it is on
     * {@code command.topic} and the profile takes commands ({@link #commands()}), and ignores it
     * (a log line) otherwise. Must not block: hand work to another thread.
     */
    default boolean messageArrived(String topic, byte[] payload) {
        return false;
    }

    /**
     * As {@link #messageArrived(String, byte[])}, saying whether the message is a retained one:
     * a message the broker kept and hands to a new subscription (MQTT sets the RETAIN flag on
     * delivery only then), published at some earlier time, not just now. A command or request
     * that arrives retained is an old order that would be carried out again at every reconnect;
     * a profile that takes commands refuses it. The default passes every message on to
     * {@link #messageArrived(String, byte[])}.
     *
     * @since 1.1
     */
    default boolean messageArrived(String topic, byte[] payload, boolean retained) {
        return messageArrived(topic, payload);
    }

    /** The session ended without {@link #closing}. */
    default void connectionLost() {
    }

    /** The uplink is about to disconnect cleanly from a connected session. */
    default void closing(MqttSession session) {
    }

    /** The uplink stopped; release threads and files. */
    @Override
    default void close() {
    }
}
