package org.fogwerk.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fogwerk things",
        description = "How the node names the thing of a connection that no thing file mentions.")
@interface ThingsConfig {

    @AttributeDefinition(name = "Implicit thing name",
            description = "{connection} is the connection's name; ${fogwerk.node} (in a file) or {node} is the node "
                    + "id (framework property fogwerk.node, else the host name). With the node id in it, two nodes on "
                    + "one broker keep apart things whose connections have the same name. A value in a file must "
                    + "not begin with '{'.")
    String implicit_name() default "{connection}";
}
