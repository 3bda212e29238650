package org.fogwerk.shadow.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fogwerk shadow store",
        description = "The embedded, durable store of device shadows (desired and reported state per thing).")
@interface ShadowStoreConfig {

    @AttributeDefinition(name = "Data directory",
            description = "Folder of shadow.mv.db. Empty: ${karaf.data}/fogwerk/shadow, or data/fogwerk/shadow without Karaf.")
    String data_dir() default "";

    @AttributeDefinition(name = "Largest state",
            description = "Bytes of compact JSON that desired plus reported state may take; metadata does not count.",
            min = "1024", max = "65536")
    int max_state_bytes() default 8192;

    @AttributeDefinition(name = "Deepest nesting",
            description = "Levels of nested objects and arrays allowed inside desired and inside reported.",
            min = "1", max = "32")
    int max_depth() default 6;

    @AttributeDefinition(name = "Requests in flight",
            description = "Updates and deletes that may wait for the writer; beyond it requests are refused with 429.",
            min = "1", max = "1000000")
    int max_inflight() default 10_000;

    @AttributeDefinition(name = "Commit delay (ms)",
            description = "How long the writer may wait for more updates before it commits a batch; 0 commits as soon as"
                    + " the queue is empty.", min = "0", max = "1000")
    long commit_max_delay_ms() default 0;
}
