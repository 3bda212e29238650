package org.fogwerk.shadow.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One shadow as the store holds it. Never changed after it is built: the writer copies before
 * it merges, so readers may share instances without locks.
 *
 * @param desired  desired state, {@code null} when the section is absent
 * @param reported reported state, {@code null} when the section is absent
 * @param metadata {@code {"desired": {...}, "reported": {...}}}
 * @param delta    desired fields that differ from reported, empty when none
 */
record StoredShadow(ObjectNode desired, ObjectNode reported, ObjectNode metadata, ObjectNode delta, long version,
        long timestamp) {
}
