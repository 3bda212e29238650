package org.fogwerk.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fogwerk thing",
        description = "A machine or asset with a shadow, from etc/org.fogwerk.thing-<name>.cfg. Besides these keys, "
                + "'map.<field> = <connection>/<tag>' feeds a shadow field from a tag (a dotted field makes nested "
                + "objects) and 'attribute.<key> = <value>' sets an attribute.")
public @interface ThingConfig {

    @AttributeDefinition(name = "Name", required = false,
            description = "The thing name; by default the part of the file name after the first '-'.")
    String name() default "";

    @AttributeDefinition(name = "Type", required = false, description = "The thing's type, for example press.")
    String type() default "";

    @AttributeDefinition(name = "Shadow", required = false,
            description = "The named shadow its tags report into; empty for the classic shadow.")
    String shadow() default "";
}
