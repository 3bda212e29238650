package org.fogwerk.camel.internal.component;

import java.util.Locale;

import org.apache.camel.AfterPropertiesConfigured;
import org.apache.camel.MultipleConsumersSupport;
import org.apache.camel.CamelContext;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.fogwerk.api.TagValue;
import org.fogwerk.camel.internal.edge.TagFilter;
import org.fogwerk.support.glob.Glob;

/**
 * {@code fogwerk:tags?thing=<glob>&tag=<glob>&connection=<glob>}: every value of the tag bus
 * that matches, as a {@link TagValue} body with the {@link FogwerkHeaders}. With
 * {@code sendLatest=true} the route first gets the latest value of every matching tag the bus
 * already knows (a machine state that has not changed since the node started, for example).
 * Consumer only.
 */
@UriEndpoint(scheme = FogwerkComponent.SCHEME, title = "Fogwerk tags", syntax = "fogwerk:tags",
        consumerOnly = true, category = Category.IOT)
public final class TagsEndpoint extends StartingEndpoint implements AfterPropertiesConfigured,
        MultipleConsumersSupport {

    /** What happens when the route falls behind and its queue is full. */
    enum Overflow {
        /** New values are dropped (the tag bus counts them for this route). */
        DROP_NEWEST,
        /** The oldest waiting values are dropped, so the route always sees the freshest data. */
        DROP_OLDEST;

        static Overflow parse(String text) {
            String key = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            for (Overflow o : values()) {
                if (o.name().equals(key)) {
                    return o;
                }
            }
            throw new IllegalArgumentException("overflow '" + text + "' is not one of drop-newest, drop-oldest");
        }
    }

    @UriParam(defaultValue = "*", description = "Things whose values the route gets: a pattern (* any run of"
            + " characters, ? one, a comma between alternatives)")
    private String thing = "*";
    @UriParam(defaultValue = "*", description = "Tags or thing fields whose values the route gets: a pattern")
    private String tag = "*";
    @UriParam(defaultValue = "*", description = "Connections whose values the route gets: a pattern")
    private String connection = "*";
    @UriParam(defaultValue = "drop-newest", enums = "drop-newest,drop-oldest",
            description = "What the route loses when it falls behind and its queue is full")
    private String overflow = "drop-newest";
    @UriParam(defaultValue = "10000", description = "Values that wait for the route, 16 to 10000000")
    private int queueSize = FogwerkComponent.DEFAULT_QUEUE;
    @UriParam(defaultValue = "false", description = "Start with the latest value of every matching tag")
    private boolean sendLatest;

    Glob thingPattern = Glob.of(null);
    Glob tagPattern = Glob.of(null);
    Glob connectionPattern = Glob.of(null);
    Overflow overflowPolicy = Overflow.DROP_NEWEST;
    /** The per-value filter of the edge options (deadband, minInterval, changeOnly ...), or {@code null}. */
    final TagFilter filter;

    TagsEndpoint(String uri, FogwerkComponent component, FogwerkServices services, TagFilter filter) {
        super(uri, component, services);
        this.filter = filter;
    }

    @Override
    public void afterPropertiesConfigured(CamelContext camelContext) {
        FogwerkComponent.checkRange("queueSize", queueSize, 16, 10_000_000);
        overflowPolicy = Overflow.parse(overflow);
        thingPattern = Glob.of(thing);
        tagPattern = Glob.of(tag);
        connectionPattern = Glob.of(connection);
    }

    /** Values of things not in the registry match too. */
    boolean anyThing() {
        return thingPattern.matchesAll();
    }

    int queueSize() {
        return queueSize;
    }

    boolean sendLatest() {
        return sendLatest;
    }

    @Override
    Consumer consumer(Processor processor) {
        return new TagsConsumer(this, processor);
    }

    public void setThing(String thing) {
        this.thing = thing;
    }

    public void setTag(String tag) {
        this.tag = tag;
    }

    public void setConnection(String connection) {
        this.connection = connection;
    }

    public void setOverflow(String overflow) {
        this.overflow = overflow;
    }

    public void setQueueSize(int queueSize) {
        this.queueSize = queueSize;
    }

    public void setSendLatest(boolean sendLatest) {
        this.sendLatest = sendLatest;
    }

    /** Each route reading these tags is a tag bus listener of its own: two routes may read the same tags. */
    @Override
    public boolean isMultipleConsumersSupported() {
        return true;
    }
}
