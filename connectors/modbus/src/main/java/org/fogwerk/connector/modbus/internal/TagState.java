package org.fogwerk.connector.modbus.internal;

import java.util.List;

import org.fogwerk.api.Quality;
import org.fogwerk.api.TagValue;

/** A tag's last published value, to apply the deadband and to report changes only. */
final class TagState {

    final TagSpec spec;
    private Object last;
    private Quality quality;
    private String reason;

    TagState(TagSpec spec) {
        this.spec = spec;
    }

    boolean bad() {
        return quality == Quality.BAD;
    }

    String reason() {
        return reason;
    }

    /** Adds a GOOD value to {@code out} if it changed by more than the deadband or was not GOOD before. */
    void good(String connectionId, Object raw, long now, List<TagValue> out) {
        Object value = spec.toEngineering(raw);
        if (quality == Quality.GOOD && last != null) {
            if (value instanceof Number && last instanceof Number) {
                double delta = Math.abs(((Number) value).doubleValue() - ((Number) last).doubleValue());
                if (spec.deadband() > 0 ? delta <= spec.deadband() : value.equals(last)) {
                    return;
                }
            } else if (value.equals(last)) {
                return;
            }
        }
        last = value;
        quality = Quality.GOOD;
        reason = null;
        out.add(TagValue.good(connectionId, spec.name(), value, now, now));
    }

    /** Forgets the last value, so that the next one is published whatever it is. */
    void forget() {
        quality = null;
        reason = null;
        last = null;
    }

    /** Adds a BAD value to {@code out} unless the tag is already BAD for the same reason. */
    void bad(String connectionId, String why, long now, List<TagValue> out) {
        if (quality == Quality.BAD && why.equals(reason)) {
            return;
        }
        quality = Quality.BAD;
        reason = why;
        last = null;
        out.add(TagValue.of(connectionId, spec.name(), null, Quality.BAD, why, now, now));
    }
}
