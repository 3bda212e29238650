package org.fogwerk.update.internal;

/**
 * How an update followed from the shell ended.
 *
 * @param failed       whether it failed: refused, not installed or removed, or not healthy and rolled back
 * @param rolledBackTo the version the node went back to after a failure, empty when it did not
 */
public record UpdateOutcome(boolean failed, String rolledBackTo) {
}
