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

    /** The write policy in force, where it came from, and why its last change was not taken if it was not. */
    PolicyStatus policy();

    /** How many requests each source made and how they were answered, since the node started. */
    java.util.List<RequestCounters> counters();
}
