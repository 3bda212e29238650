package org.fogwerk.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fogwerk reported state",
        description = "How tag values become the reported state of the things' shadows.")
public @interface ReportedStateConfig {

    @AttributeDefinition(name = "Report interval",
            description = "Milliseconds between two writes of one thing's reported state. Values arriving in between "
                    + "are merged, the latest per field wins; none waits longer than this interval.",
            min = "10", max = "3600000")
    long report_interval() default 1000;

    @AttributeDefinition(name = "Writer threads",
            description = "Threads writing reported state; several let the store commit many things at once.",
            min = "1", max = "16")
    int writer_threads() default 2;
}
