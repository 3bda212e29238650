package org.fogwerk.update.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where one ordered change stands, as the node's reported state, the shell and the log show it.
 *
 * @param order        what was ordered and by whom
 * @param from         the version installed before, empty when the feature was not installed
 * @param state        {@value #UPDATING}, {@value #DONE} or {@value #FAILED}
 * @param reason       why it failed, empty otherwise
 * @param rolledBackTo the version the node went back to after a failure, empty when it did not
 * @param started      when the node began
 * @param at           when the state was reached
 */
record UpdateStep(Order order, String from, String state, String reason, String rolledBackTo, Instant started,
        Instant at) {

    static final String UPDATING = "updating";
    static final String DONE = "done";
    static final String FAILED = "failed";

    static UpdateStep begin(Order order, String from) {
        Instant now = Instant.now();
        return new UpdateStep(order, from, UPDATING, "", "", now, now);
    }

    UpdateStep done() {
        return new UpdateStep(order, from, DONE, "", "", started, Instant.now());
    }

    UpdateStep failed(String why, String backTo) {
        return new UpdateStep(order, from, FAILED, why, backTo, started, Instant.now());
    }

    boolean finished() {
        return !UPDATING.equals(state);
    }

    /** The entry under {@code updates.<feature>} in reported state. */
    Map<String, Object> reported() {
        // reported state is merged: a field this step has not is null, so none is left from an earlier step
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("state", state);
        m.put("remove", order.removal() ? Boolean.TRUE : null);
        m.put("version", order.removal() ? null : order.version());
        m.put("from", from);
        m.put("reason", reason.isEmpty() ? null : reason);
        m.put("rolledBackTo", rolledBackTo.isEmpty() ? null : rolledBackTo);
        m.put("by", order.by().toString());
        m.put("started", started.getEpochSecond());
        m.put("at", at.getEpochSecond());
        return m;
    }

    /** One line for the shell and the log. */
    String describe() {
        String what = order.removal() ? "remove " + order.feature() + (from.isEmpty() ? "" : " " + from)
                : order.feature() + " " + (from.isEmpty() ? "(new)" : from) + " -> " + order.version();
        long seconds = Duration.between(started, finished() ? at : Instant.now()).toSeconds();
        StringBuilder s = new StringBuilder(what).append(": ").append(state).append(" (").append(seconds).append(" s");
        s.append(", ordered by ").append(order.by()).append(')');
        if (!reason.isEmpty()) {
            s.append(": ").append(reason);
        }
        if (!rolledBackTo.isEmpty()) {
            s.append("; rolled back to ").append(rolledBackTo);
        }
        return s.toString();
    }
}
