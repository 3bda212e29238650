package org.fogwerk.api.authority;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.fogwerk.api.connector.CallResult;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowUpdate;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The one door through which every entry point writes to machines and shadows. Each request is
 * checked before it is accepted: the caller's role (for logged-in users), the write policy of
 * its source for the thing and field, that the thing is one of this node's, and for desired
 * state that each field mapped to a tag is writable and its value fits the tag's type and
 * limits. A refused request changes nothing. Every request is recorded in the audit trail,
 * refused or not; the stage or call returns only after its entry is on disk.
 *
 * <p>The named shadow {@value org.fogwerk.api.NodeIdentity#SHADOW} of the node's own thing is
 * checked apart: desired state there orders software updates, so it needs the source's
 * {@code updates} permission of the write policy (and the {@code admin} role for the shell and
 * REST) instead of the field rules, and its reported state is the node's alone.
 */
@ProviderType
public interface WriteGateway {

    /** Writes a tag; never fails exceptionally: REFUSED names why the node refused it. */
    CompletionStage<WriteResult> write(Caller caller, String connection, String tag, Object value);

    /** Calls a machine method; never fails exceptionally. */
    CompletionStage<CallResult> call(Caller caller, String connection, String objectId, String methodId,
            List<Object> arguments);

    /**
     * Applies a shadow update request (JSON, as the shadow topics carry it) after the checks.
     *
     * @return the accepted answer as JSON
     * @throws ShadowException with code 403 when the caller may not, 404 when the thing is not
     *                         this node's, 400 when a field is not writable or its value does
     *                         not fit, or the store's own codes
     */
    byte[] updateShadow(Caller caller, String thing, String shadow, byte[] requestJson) throws ShadowException;

    /** The same for an update in object form. */
    ShadowDocument updateShadow(Caller caller, String thing, String shadow, ShadowUpdate update)
            throws ShadowException;

    /** Deletes a shadow after the checks; returns the version it had. */
    long deleteShadow(Caller caller, String thing, String shadow, Long expectedVersion, String clientToken)
            throws ShadowException;

    /**
     * Whether this node answers remote requests for the thing: it is in the thing registry (or
     * an implicit thing of one of its connections), or it is a shadow the node already keeps
     * and the policy let a remote source create.
     */
    boolean owns(String thing);

    /**
     * Who set a desired field through this gateway since the node started (its source and
     * identity), so what the node does about it later is audited under that caller; the node
     * itself when nobody did. Known before the store tells its listeners of the change.
     *
     * @param field the dotted path of the field ({@code features.fogwerk-connector-modbus})
     */
    default Caller orderedBy(String thing, String shadow, String field) {
        return Caller.of(Source.NODE, "desired state of " + thing);
    }

    /**
     * Refuses a request that arrived as a retained MQTT message: one the broker kept from an
     * earlier publish and hands out at every subscription, which carried out would repeat an old
     * order at every reconnect. Counted with the source's refused requests and put in the audit
     * trail like any other refusal; nothing else happens.
     *
     * @param requestJson the request as it arrived, for the trail (empty when there is none)
     * @return the refusal (400) to answer the caller with
     * @since 1.3
     */
    default ShadowException refuseRetained(Caller caller, String thing, String shadow, byte[] requestJson) {
        return new ShadowException(400, RETAINED, null);
    }

    /**
     * Records and counts a write refused before it reached this gateway: one its channel could
     * not read (too large, not UTF-8, not JSON, a field missing) or refused itself (a role, a
     * browser request without its CSRF token). So every refused write is in the audit trail and
     * in {@link #counters()}, as those refused here are; nothing else happens.
     *
     * @param kind   what was asked: {@code AuditEvent.KIND_WRITE}, {@code KIND_CALL},
     *               {@code KIND_DESIRED} (a shadow update) or {@code KIND_SHADOW_DELETE}
     * @param thing  the thing, or the connection of a tag write or method call
     * @param target the shadow ({@code ""} for the classic one), or the tag or method
     * @param code   the answer the caller got: 403 counts as denied, any other as refused
     * @param reason the answer's text
     * @since 1.4
     */
    default void refused(Caller caller, String kind, String thing, String target, int code, String reason) {
    }

    /** Why a retained command or shadow request is refused. */
    String RETAINED = "a retained message is not carried out: the broker kept it from an earlier publish and hands it"
            + " out at every reconnect, which would repeat an old order; publish commands and requests without the"
            + " retain flag, and clear this one (an empty retained message on the topic)";

    /** The write policy in force, where it came from, and why its last change was not taken if it was not. */
    PolicyStatus policy();

    /** How many requests each source made and how they were answered, since the node started. */
    java.util.List<RequestCounters> counters();
}
