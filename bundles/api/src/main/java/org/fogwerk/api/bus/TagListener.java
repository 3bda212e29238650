package org.fogwerk.api.bus;

import java.util.List;

import org.fogwerk.api.TagValue;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives every value the tag bus accepted, registered as an OSGi service (whiteboard).
 *
 * <p>Each listener has its own bounded queue and its own delivery thread: a slow listener
 * loses values of its own (counted as dropped for it) but never slows the connectors or the
 * other listeners. Values of one connection arrive in the order the connector published them.
 * The service property {@value #QUEUE_CAPACITY_PROPERTY} sets the queue size and
 * {@value #OVERFLOW_PROPERTY} what a full queue drops.
 */
@ConsumerType
public interface TagListener {

    /** Service property: how many values may wait for this listener (default 10,000). */
    String QUEUE_CAPACITY_PROPERTY = "fogwerk.bus.capacity";

    /**
     * Service property: what a full queue drops, {@value #DROP_NEWEST} (default: the values that
     * do not fit) or {@value #DROP_OLDEST} (the oldest waiting ones, so the listener always gets
     * the freshest data). Either way the drops are counted for the listener.
     */
    String OVERFLOW_PROPERTY = "fogwerk.bus.overflow";

    /** {@value #OVERFLOW_PROPERTY} value: a full queue drops the new values. */
    String DROP_NEWEST = "drop-newest";

    /** {@value #OVERFLOW_PROPERTY} value: a full queue drops its oldest values. */
    String DROP_OLDEST = "drop-oldest";

    /**
     * Service property: {@value #REPLAY_LATEST} has the bus hand a listener that registers the
     * latest value of every tag first, before the values that come after, so a listener that comes
     * up after the connections still hears of tags that do not change (a set point). Values may
     * then come twice, never out of order.
     *
     * @since 1.3
     */
    String REPLAY_PROPERTY = "fogwerk.bus.replay";

    /** {@value #REPLAY_PROPERTY} value: the latest value of every tag first. */
    String REPLAY_LATEST = "latest";

    /** Called from the listener's own thread with one or more values; the list is not kept. */
    void onValues(List<TagValue> values);
}
