package org.fogwerk.camel.internal.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.apache.camel.AsyncCallback;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.LineNumberAware;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.AsyncProcessorConverterHelper;
import org.apache.camel.support.RoutePolicySupport;
import org.apache.camel.support.processor.DelegateAsyncProcessor;

/**
 * Counts exchanges and failures of every route and keeps its last error with the line of the
 * route file where it happened, without JMX: a route policy per route and one wrapper per node
 * that notes where an exception first appeared.
 */
final class RouteStats implements RoutePolicyFactory, InterceptStrategy {

    private static final String FAILED_AT = "FogwerkFailedAt";

    /** Counters and the last error of one route. */
    static final class Counters {
        final LongAdder exchanges = new LongAdder();
        final LongAdder failures = new LongAdder();
        /** Values lost by the route's consumers before the route was last loaded again. */
        final LongAdder overflowBefore = new LongAdder();
        volatile String lastError = "";
        volatile long lastErrorTime;
    }

    private final Map<String, Counters> routes = new ConcurrentHashMap<>();
    private final Map<String, String> locations = new ConcurrentHashMap<>();

    Counters of(String routeId) {
        return routes.computeIfAbsent(routeId, id -> new Counters());
    }

    /** Tells where a route's definitions came from, so its errors name the file. */
    void located(String routeId, String location) {
        locations.put(routeId, location);
    }

    /**
     * The route is loaded again from its edited file: its counters go on (a counter of
     * {@code /metrics} never goes down), with what its old consumer lost; its last error is
     * the old definition's and goes.
     */
    void reloading(String routeId, long overflowOfOldConsumer) {
        Counters c = of(routeId);
        c.overflowBefore.add(overflowOfOldConsumer);
        c.lastError = "";
    }

    void forget(String routeId) {
        routes.remove(routeId);
        locations.remove(routeId);
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camelContext, String routeId, NamedNode route) {
        Counters counters = of(routeId);
        return new RoutePolicySupport() {
            @Override
            public void onExchangeDone(Route r, Exchange exchange) {
                counters.exchanges.increment();
                Exception e = exchange.getException();
                if (e != null) {
                    counters.failures.increment();
                    String at = exchange.getProperty(FAILED_AT, String.class);
                    String location = locations.get(routeId);
                    counters.lastError = (location == null ? "" : location + ":")
                            + (at == null ? "" : at + ": ") + e.getClass().getSimpleName() + ": " + e.getMessage();
                    counters.lastErrorTime = System.currentTimeMillis();
                }
            }
        };
    }

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
            Processor nextTarget) {
        if (!(definition instanceof LineNumberAware) || ((LineNumberAware) definition).getLineNumber() < 0) {
            return target;
        }
        String at = ((LineNumberAware) definition).getLineNumber() + " (" + definition.getShortName() + ")";
        AsyncProcessor async = AsyncProcessorConverterHelper.convert(target);
        return new DelegateAsyncProcessor(async) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                return processor.process(exchange, done -> {
                    if (exchange.getException() != null && !exchange.getProperties().containsKey(FAILED_AT)) {
                        exchange.setProperty(FAILED_AT, at);
                    }
                    callback.done(done);
                });
            }
        };
    }
}
