package org.fogwerk.camel.internal.edge;

import java.util.Objects;

/** A value passes when it differs from the last sent one: same type and equal content count as no change. */
final class ChangeOnly {

    private ChangeOnly() {
    }

    static boolean changed(Object last, Object current) {
        return !Objects.deepEquals(last, current);
    }
}
