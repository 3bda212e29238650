package org.fogwerk.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fogwerk things",
        description = "How the node names the thing of a connection that no thing file mentions, and how it spreads "
                + "a large machine's fields over shadows.")
@interface ThingsConfig {

    @AttributeDefinition(name = "Implicit thing name",
            description = "{connection} is the connection's name; ${fogwerk.node} (in a file) or {node} is the node "
                    + "id (framework property fogwerk.node, else the host name). With the node id in it, two nodes on "
                    + "one broker keep apart things whose connections have the same name. A value in a file must "
                    + "not begin with '{'.")
    String implicit_name() default "{connection}";

    @AttributeDefinition(name = "Implicit shadow size",
            description = "Bytes of reported state each shadow of an implicit thing is planned for, estimated from its "
                    + "tags' names and types: the classic shadow takes the connection's tags in list order up to this "
                    + "size, the next ones go to the named shadows tags-2, tags-3 ... Keep it below the shadow store's "
                    + "max.state.bytes (8 KiB), leaving room for text values longer than 64 bytes.",
            min = "256", max = "65536")
    int implicit_shadow_bytes() default ImplicitShadows.DEFAULT_BUDGET;
}
