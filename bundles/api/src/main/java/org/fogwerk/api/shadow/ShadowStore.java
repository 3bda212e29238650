package org.fogwerk.api.shadow;

import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The embedded, durable shadow store: per thing, a classic shadow (name {@value #CLASSIC}) and
 * any number of named shadows, with the semantics of the AWS IoT Device Shadow service. An
 * update returned to its caller is on disk.
 */
@ProviderType
public interface ShadowStore {

    /** The name of the classic (unnamed) shadow. */
    String CLASSIC = "";

    ShadowDocument get(String thing, String shadow) throws ShadowException;

    /** Applies an update given as a JSON request document (UTF-8 bytes); returns the accepted answer as JSON. */
    byte[] update(String thing, String shadow, byte[] requestJson) throws ShadowException;

    /** Applies an update given as objects; returns the document after it. */
    ShadowDocument update(String thing, String shadow, ShadowUpdate update) throws ShadowException;

    /** Deletes a shadow; {@code expectedVersion} may be {@code null}. */
    void delete(String thing, String shadow, Long expectedVersion) throws ShadowException;

    /**
     * Deletes a shadow and returns the version it had; {@code expectedVersion} may be {@code null}.
     * The client token is echoed in errors and passed to listeners.
     */
    default long delete(String thing, String shadow, Long expectedVersion, String clientToken)
            throws ShadowException {
        long version;
        try {
            version = get(thing, shadow).version();
        } catch (ShadowException e) {
            throw new ShadowException(e.code(), e.getMessage(), clientToken);
        }
        try {
            // with the version just read, a write in between is refused rather than deleted unseen
            delete(thing, shadow, expectedVersion == null ? version : expectedVersion);
        } catch (ShadowException e) {
            throw new ShadowException(e.code(), e.getMessage(), clientToken);
        }
        return version;
    }

    Set<String> things();

    /** The named shadows of a thing, the classic one as {@value #CLASSIC}. */
    List<String> shadows(String thing);

    /**
     * Shadows the store took back from its snapshot when it opened its file damaged (lost, or
     * only in an older version, in the store itself); 0 when the file was whole. Each is also in
     * the log, with the damage found.
     */
    default int restoredAtStart() {
        return 0;
    }

    /**
     * Events (accepted updates, deltas, deletes) the store could not pass on to its listeners
     * because they fell behind, since start. A listener that missed a delta acts on the shadow's
     * next event; each drop is also in the log.
     *
     * @since 1.3
     */
    default long droppedEvents() {
        return 0;
    }
}
