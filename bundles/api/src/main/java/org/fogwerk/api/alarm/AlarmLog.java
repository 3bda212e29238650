package org.fogwerk.api.alarm;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The newest alarm events of the node's routes, held in memory, registered as an OSGi service by
 * the bundle that runs the routing rules. It keeps a bounded number of events; older ones are
 * forgotten, and none survive a restart of the routing rules.
 */
@ProviderType
public interface AlarmLog {

    /** At most {@code limit} events, newest first. */
    List<AlarmEvent> recent(int limit);

    /**
     * The events with a sequence above {@code sequence}, oldest first: a reader that remembers the
     * last sequence it saw gets each later event once, as long as it asks before the log forgets it.
     */
    List<AlarmEvent> after(long sequence);
}
