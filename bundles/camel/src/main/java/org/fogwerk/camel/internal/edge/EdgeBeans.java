package org.fogwerk.camel.internal.edge;

import java.util.Map;

/** Beans for the Camel registry that routes refer to by name. */
public final class EdgeBeans {

    /** Name of the aggregation strategy computing count, mean, min and max for the aggregate EIP. */
    public static final String WINDOW_STATS = "fogwerkWindowStats";

    private EdgeBeans() {
    }

    /** Fresh beans by name, for one Camel context. */
    public static Map<String, Object> beans() {
        return Map.of(WINDOW_STATS, new WindowStatsAggregation());
    }
}
