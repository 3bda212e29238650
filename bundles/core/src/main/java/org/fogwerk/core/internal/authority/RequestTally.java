package org.fogwerk.core.internal.authority;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import org.fogwerk.api.authority.RequestCounters;
import org.fogwerk.api.authority.Source;

/** How many write requests each source made, by the gateway's answer: accepted, denied, refused. */
final class RequestTally {

    private final EnumMap<Source, LongAdder[]> counts = new EnumMap<>(Source.class);

    RequestTally() {
        for (Source s : Source.values()) {
            counts.put(s, new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder()});
        }
    }

    void accepted(Source source) {
        counts.get(source)[0].increment();
    }

    void denied(Source source) {
        counts.get(source)[1].increment();
    }

    void refused(Source source) {
        counts.get(source)[2].increment();
    }

    /** A request turned down: denied (role or policy) or refused (what it asked for). */
    void answered(Source source, boolean denied) {
        counts.get(source)[denied ? 1 : 2].increment();
    }

    List<RequestCounters> counters() {
        List<RequestCounters> result = new ArrayList<>();
        counts.forEach((source, c) -> result.add(new RequestCounters(source, c[0].sum(), c[1].sum(), c[2].sum())));
        return result;
    }
}
