package org.fogwerk.simulator.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Fogwerk Modbus TCP simulator",
        description = "A simulated machine served as a Modbus TCP slave for demonstrations and tests.")
public @interface ModbusSimulatorConfig {

    @AttributeDefinition(name = "Bind address",
            description = "Address to listen on: 127.0.0.1 for this node only, 0.0.0.0 for every interface.")
    String bind_address() default "127.0.0.1";

    @AttributeDefinition(name = "Port", description = "502 is the Modbus standard port but needs root.",
            min = "1", max = "65535")
    int port() default 5020;

    @AttributeDefinition(name = "Unit id", description = "The slave's unit id.", min = "1", max = "247")
    int unit_id() default 1;

    @AttributeDefinition(name = "Tags", description = "How many tags the machine has.", min = "1", max = "10000")
    int tag_count() default 20;

    @AttributeDefinition(name = "Update interval", description = "Milliseconds between value changes.",
            min = "10", max = "3600000")
    long update_interval() default 1000;

    @AttributeDefinition(name = "Patterns",
            description = "Comma separated patterns the read-only tags take in turn: sine, ramp, random, counter, state.")
    String patterns() default "sine,ramp,random,counter,state";

    @AttributeDefinition(name = "Writable tags",
            description = "How many of the last tags are writable set points (0 to the tag count).", min = "0",
            max = "10000")
    int writable_count() default 4;
}
