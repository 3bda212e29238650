package org.fogwerk.connector.opcua.internal;

/**
 * How the tags of one connection are spread over subscriptions and how many publish requests the
 * session keeps in flight. A server answers a publish request with one subscription's
 * notifications; while that answer travels and is handed to the bus, the server needs another
 * request to answer the next subscription whose publishing interval is due, or the values wait
 * there. Milo keeps at most one request per subscription plus one in flight, so the number of
 * subscriptions is what buys requests in flight.
 *
 * @param subscriptions subscriptions on the session (at least 1, at most one per item)
 * @param publishRequests publish requests in flight the client is configured for
 */
record PublishPlan(int subscriptions, int publishRequests) {

    /**
     * What a publish answer is assumed to take from the server to the bus and back as a new
     * request: an answer of 1,000 values is decoded and handed to the bus in a few ms on a small
     * node; this leaves room for a busy server and a GC pause.
     */
    static final double ROUND_TRIP_MS = 50;

    /** The most publish requests sized automatically. */
    static final int MAX_AUTO_REQUESTS = 100;

    /**
     * @param items monitored items of the connection
     * @param maxItems {@code subscription.max.items}
     * @param configuredRequests {@code publish.requests}, 0 for sized automatically
     * @param publishingInterval {@code publishing.interval}, ms
     */
    static PublishPlan of(int items, int maxItems, int configuredRequests, double publishingInterval) {
        int needed = Math.max(1, (items + maxItems - 1) / maxItems);
        int requests;
        if (configuredRequests > 0) {
            requests = configuredRequests;
        } else {
            // one request waiting at the server for each subscription, and as many more as answers
            // of all subscriptions can be under way within one publishing interval
            int underWay = (int) Math.ceil(needed * ROUND_TRIP_MS / publishingInterval);
            requests = Math.min(MAX_AUTO_REQUESTS, Math.max(needed + 1, needed + underWay));
        }
        int subscriptions = Math.max(needed, Math.min(Math.max(1, items), requests - 1));
        return new PublishPlan(subscriptions, requests);
    }
}
