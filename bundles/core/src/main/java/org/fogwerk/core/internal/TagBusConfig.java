package org.fogwerk.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fogwerk tag bus",
        description = "The in-process bus between machine connectors and everything that consumes their values.")
public @interface TagBusConfig {

    @AttributeDefinition(name = "Queue per connection",
            description = "Values of one connection that may wait for dispatch; beyond it new values are dropped and counted.",
            min = "16", max = "10000000")
    int connection_capacity() default 10_000;

    @AttributeDefinition(name = "Batch per turn",
            description = "Values taken from one connection before the dispatcher serves the next one (fairness).",
            min = "1", max = "100000")
    int dispatch_batch() default 256;

    @AttributeDefinition(name = "Default listener queue",
            description = "Values that may wait for one listener unless it sets fogwerk.bus.capacity itself.",
            min = "16", max = "10000000")
    int listener_capacity() default 10_000;
}
