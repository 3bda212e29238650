package org.fogwerk.api.registry;

import java.time.Instant;
import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How the reported state of the things follows their tags: how many writes went to the shadow
 * store, how many failed, and which shadows are failing now and why.
 *
 * @since 1.1
 */
@ProviderType
public interface ReportedState {

    /** Reported-state writes the shadow store accepted. */
    long writes();

    /** Reported-state writes the shadow store refused or that failed. */
    long failedWrites();

    /** The shadows whose latest reported-state write failed, sorted by thing and shadow. */
    List<Failure> failing();

    /**
     * A shadow whose reported state is not being written.
     *
     * @param thing  the thing
     * @param shadow the shadow, empty for classic
     * @param code   the shadow store's error code (413 for a state over the size limit), 500 for anything else
     * @param reason the store's message
     * @param since  the first failure of this run of failures
     * @param count  failed writes since then; a write that succeeds ends the run
     */
    record Failure(String thing, String shadow, int code, String reason, Instant since, long count) {
    }
}
