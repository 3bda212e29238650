package org.fogwerk.core.internal;

import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.benchmarks.ReportingCore;

/** The node's core with its reported-state writer, for the benchmarks that still build it by this name. */
public final class BenchNode extends ReportingCore {

    public BenchNode(ShadowStore store) {
        super(store);
    }
}
