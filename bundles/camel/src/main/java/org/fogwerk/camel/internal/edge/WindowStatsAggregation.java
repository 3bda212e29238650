package org.fogwerk.camel.internal.edge;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.fogwerk.api.TagValue;
import org.fogwerk.camel.internal.component.FogwerkHeaders;
import org.fogwerk.camel.internal.edge.TimeWindow.Accumulator;
import org.fogwerk.camel.internal.edge.TimeWindow.Result;
import org.fogwerk.camel.internal.edge.TimeWindow.Stat;

/**
 * Aggregation strategy {@code fogwerkWindowStats} for Camel's aggregate EIP: folds the TagValue
 * bodies of a group into count, mean, minimum and maximum. On completion the body is the mean as a
 * TagValue of the group's first connection and tag, stamped with the first value's source time,
 * and the {@code FogwerkWindow*} headers carry all figures (start and end are the first and last
 * source times). Correlate by tag, for example {@code ${header.FogwerkConnection}/${header.FogwerkTag}}.
 */
final class WindowStatsAggregation implements AggregationStrategy {

    private static final String STATE = "FogwerkWindowStatsState";

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        Exchange group = oldExchange == null ? newExchange : oldExchange;
        Accumulator acc = group.getProperty(STATE, Accumulator.class);
        if (acc == null) {
            acc = new Accumulator();
            acc.begin(0);
            group.setProperty(STATE, acc);
        }
        TagValue v = TagValues.body(newExchange, "the fogwerkWindowStats aggregation");
        if (oldExchange == null) {
            acc.context = v;
        }
        Object first = acc.context;
        acc.add(v);
        acc.context = first;
        return group;
    }

    @Override
    public void onCompletion(Exchange exchange) {
        Accumulator acc = exchange.getProperty(STATE, Accumulator.class);
        if (acc == null) {
            return;
        }
        exchange.removeProperty(STATE);
        TagValue first = (TagValue) acc.context;
        acc.start = acc.firstTime;
        Result r = acc.close(first.connectionId(), first.tag(), acc.lastTime - acc.firstTime, System.currentTimeMillis());
        Message m = exchange.getIn();
        TagValue body = r.toTagValue(Stat.MEAN);
        m.setBody(body);
        m.setHeader(FogwerkHeaders.QUALITY, body.quality().name());
        WindowEndpoint.setFigures(m, r);
    }
}
