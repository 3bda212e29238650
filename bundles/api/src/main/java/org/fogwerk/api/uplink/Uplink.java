package org.fogwerk.api.uplink;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.fogwerk.api.TagValue;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A durable route out of the node to a broker or cloud platform, registered as an OSGi service
 * by the bundle that implements its protocol, one instance per configured uplink.
 */
@ConsumerType
public interface Uplink {

    /** Service property carrying the uplink name. */
    String NAME_PROPERTY = "fogwerk.uplink";

    /** The uplink name (the instance name of its configuration). */
    String name();

    UplinkStatus status();

    /**
     * Puts values into the outbox. The stage completes once they are on disk, which is when the
     * node counts them as accepted; it fails when the outbox refuses them (full, with the refuse
     * policy).
     */
    CompletionStage<Void> submit(List<TagValue> values);

    /** Completes when everything now in the outbox was acknowledged by the broker. */
    CompletionStage<Void> flush();
}
