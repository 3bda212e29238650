package org.fogwerk.broker.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(name = "Fogwerk embedded MQTT broker",
        description = "A Moquette MQTT 3.1.1 broker inside the node, for nodes without their own broker.")
public @interface BrokerConfig {

    @AttributeDefinition(name = "Mode",
            description = "on: start, on a port of its own (never the port of the broker the uplinks publish to); "
                    + "off: never start.",
            options = {@Option(label = "on", value = "on"), @Option(label = "off", value = "off")})
    String mode() default "on";

    @AttributeDefinition(name = "Bind address",
            description = "Address to listen on: 127.0.0.1 for this node only, 0.0.0.0 for every interface.")
    String bind_address() default "127.0.0.1";

    @AttributeDefinition(name = "Port", description = "TCP port of the broker. Give it a port of its own: 1884 "
            + "leaves the standard 1883 to the site's broker.", min = "1", max = "65535")
    int port() default 1884;

    @AttributeDefinition(name = "Largest packet",
            description = "Largest MQTT packet in bytes the broker accepts; a client that sends a larger one is "
                    + "disconnected. MQTT allows up to 268435455.", min = "1024", max = "268435455")
    int max_packet_bytes() default 1048576;

    @AttributeDefinition(name = "Allow anonymous",
            description = "Accept clients that send no user name. When false, username and .password are required."
                    + " Only with a loopback bind.address: a broker other machines reach needs a login.")
    boolean allow_anonymous() default true;

    @AttributeDefinition(name = "User name",
            description = "If set, a client that sends a user name must send this one with .password.", required = false)
    String username() default "";

    @AttributeDefinition(name = "Password", description = "The password for username.", type = AttributeType.PASSWORD,
            required = false)
    String _password() default "";

    @AttributeDefinition(name = "Persistence",
            description = "Keep sessions, subscriptions and queued QoS 1/2 messages in ${karaf.data}/fogwerk/broker "
                    + "(needs the h2-mvstore bundle). Off keeps everything in memory.")
    boolean persistence() default false;
}
