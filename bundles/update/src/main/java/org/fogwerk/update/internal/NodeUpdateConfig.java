package org.fogwerk.update.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fogwerk software updates",
        description = "How the node installs, updates and removes Fogwerk features ordered through its shadow "
                + "or the shell, and when it goes back to the version before.")
@interface NodeUpdateConfig {

    @AttributeDefinition(name = "Health time limit (seconds)",
            description = "How long a new feature version has to come up healthy (its bundles Active, none of their "
                    + "components FAILED) before the node goes back to the version it had.", min = "1")
    int health_timeout() default 60;

    @AttributeDefinition(name = "Healthy for (seconds)",
            description = "How long the new version must stay healthy before the update counts as done, so a "
                    + "component that fails a moment after its bundle started is still caught.", min = "0")
    int health_settle() default 3;

    @AttributeDefinition(name = "Features repository",
            description = "Where to look for a version no features repository of the node offers yet: a URL with "
                    + "{version} in it, read through the node's Maven repositories (etc/org.ops4j.pax.url.mvn.cfg). "
                    + "Empty: only repositories added with feature:repo-add or a KAR in deploy/.")
    String repository() default "mvn:org.fogwerk/fogwerk-features/{version}/xml/features";

    @AttributeDefinition(name = "Report interval (seconds)",
            description = "How often the node refreshes uptime and health in its shadow's reported state.", min = "10")
    int report_interval() default 300;
}
