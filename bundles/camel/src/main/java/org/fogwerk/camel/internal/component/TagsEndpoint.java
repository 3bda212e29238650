package org.fogwerk.camel.internal.component;

import java.util.Locale;
import java.util.regex.Pattern;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.fogwerk.api.TagValue;
import org.fogwerk.camel.internal.edge.TagFilter;

/**
 * {@code fogwerk:tags?thing=<glob>&tag=<glob>&connection=<glob>}: every value of the tag bus
 * that matches, as a {@link TagValue} body with the {@link FogwerkHeaders}. With
 * {@code sendLatest=true} the route first gets the latest value of every matching tag the bus
 * already knows (a machine state that has not changed since the node started, for example).
 * Consumer only.
 */
final class TagsEndpoint extends StartingEndpoint {

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

    final Pattern thing;
    final Pattern tag;
    final Pattern connection;
    final boolean anyThing;
    final Overflow overflow;
    final int queueSize;
    /** The per-value filter of the edge options (deadband, minInterval, changeOnly ...), or {@code null}. */
    final TagFilter filter;
    final boolean sendLatest;

    TagsEndpoint(String uri, FogwerkComponent component, FogwerkServices services, String thing, String tag,
            String connection, Overflow overflow, int queueSize, TagFilter filter, boolean sendLatest) {
        super(uri, component, services);
        this.thing = Globs.compile(thing);
        this.anyThing = this.thing == null;
        this.tag = Globs.compile(tag);
        this.connection = Globs.compile(connection);
        this.overflow = overflow;
        this.queueSize = queueSize;
        this.filter = filter;
        this.sendLatest = sendLatest;
    }

    @Override
    Consumer consumer(Processor processor) {
        return new TagsConsumer(this, processor);
    }
}
