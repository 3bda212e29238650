package org.fogwerk.api.audit;

import java.util.Objects;

/**
 * Something that happened and must be on record. Secret values never go into an event.
 *
 * @param kind     what happened: one of the {@code KIND_*} constants
 * @param source   where it came from: a write source ({@code shell}, {@code rest}, {@code route},
 *                 {@code mqtt-command}, {@code aws-local}, {@code aws-cloud}, {@code sparkplug}),
 *                 or {@code node} for what the node did by itself, {@code config}, {@code jaas},
 *                 {@code framework}
 * @param identity who: the shell or REST user, the MQTT client id and topic, the route id, the
 *                 cloud client token; empty when unknown
 * @param thing    the thing concerned, empty for none
 * @param target   what was acted on: a tag ({@code connection/tag}), a method, a PID, a bundle,
 *                 a certificate; empty for none
 * @param value    what was written or set, as text; empty for none
 * @param outcome  how it ended: {@code accepted}, {@code refused}, {@code done}, {@code failed},
 *                 or a kind specific word
 * @param detail   the reason or further facts; empty for none
 */
public record AuditEvent(String kind, String source, String identity, String thing, String target, String value,
        String outcome, String detail) {

    public static final String KIND_WRITE = "write";
    public static final String KIND_CALL = "call";
    public static final String KIND_DESIRED = "desired";
    /** Reported state set from outside the node (a remote source or a refused request). */
    public static final String KIND_REPORTED = "reported";
    public static final String KIND_SHADOW_DELETE = "shadow-delete";
    public static final String KIND_CONFIG = "config";
    public static final String KIND_TRUST = "trust";
    public static final String KIND_LOGIN = "login";
    public static final String KIND_BUNDLE = "bundle";
    public static final String KIND_FEATURE = "feature";
    public static final String KIND_UPDATE = "update";

    public AuditEvent {
        Objects.requireNonNull(kind, "kind");
        source = source == null ? "" : source;
        identity = identity == null ? "" : identity;
        thing = thing == null ? "" : thing;
        target = target == null ? "" : target;
        value = value == null ? "" : value;
        outcome = outcome == null ? "" : outcome;
        detail = detail == null ? "" : detail;
    }
}
