package org.fogwerk.camel.internal.runtime;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fogwerk routing rules (Camel)",
        description = "The node's Camel context: route files, reload and the properties routes use as {{key}}."
                + " Any other key in this configuration is a property for {{key}} placeholders in routes.")
@interface CamelRuntimeConfig {

    @AttributeDefinition(name = "Route folder",
            description = "Folder of the Camel XML route files (*.xml). Empty: ${karaf.etc}/routes.")
    String routes_dir() default "";

    @AttributeDefinition(name = "Scan interval (ms)",
            description = "How often the route folder is looked at. A changed file is loaded once it stayed the same"
                    + " for one interval, so a reload takes one to two intervals.", min = "100", max = "60000")
    long scan_interval_ms() default 500;

    @AttributeDefinition(name = "Stop timeout (s)",
            description = "How long a route may take to finish its in-flight messages when it is stopped or replaced.",
            min = "1", max = "300")
    int shutdown_timeout_s() default 5;
}
