package org.fogwerk.api.authority;

/**
 * What the write gateway answered since the node started, for one source.
 *
 * @param source   the entry point
 * @param accepted machine writes, method calls and shadow requests accepted
 * @param denied   refused for the caller's role or the write policy
 * @param refused  refused for what was asked: an unknown thing, tag or field, a value that does
 *                 not fit, a bad document, a version conflict, a full store
 */
public record RequestCounters(Source source, long accepted, long denied, long refused) {
}
