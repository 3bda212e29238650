package org.fogwerk.camel.internal.edge;

import org.fogwerk.api.TagValue;

/**
 * Decides per value whether it goes on. Stateful: it remembers what it let through for each
 * connection and tag, so one instance serves one consumer or route step. Safe to call from
 * several threads.
 */
public interface TagFilter {

    /** {@code true} when the value passes; the filter then remembers it as the tag's last sent value. */
    boolean accept(TagValue v);
}
