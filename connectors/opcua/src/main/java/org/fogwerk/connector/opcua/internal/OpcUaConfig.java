package org.fogwerk.connector.opcua.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One OPC UA server connection. Numbers are read as text and checked by {@link OpcUaSettings}, so
 * that a bad value turns into a FAILED status naming the key instead of a component that never
 * activates.
 */
@ObjectClassDefinition(name = "Fogwerk OPC UA connection",
        description = "A connection to one OPC UA server (Eclipse Milo client). One file "
                + "etc/org.fogwerk.connector.opcua-<name>.cfg per server.")
public @interface OpcUaConfig {

    @AttributeDefinition(name = "Connection id",
            description = "Overrides the id taken from the file name (after the first '-').", required = false)
    String name() default "";

    @AttributeDefinition(name = "Endpoint URL", description = "opc.tcp://host:port/path of the server.")
    String endpoint_url();

    @AttributeDefinition(name = "Security policy",
            description = "None, Basic256Sha256, Aes128_Sha256_RsaOaep or Aes256_Sha256_RsaPss.")
    String security_policy() default "None";

    @AttributeDefinition(name = "Security mode",
            description = "None, Sign or SignAndEncrypt. None goes with policy None only, and the reverse.")
    String security_mode() default "None";

    @AttributeDefinition(name = "Authentication", description = "anonymous, username or x509.")
    String auth() default "anonymous";

    @AttributeDefinition(name = "User name", description = "For auth = username.", required = false)
    String username() default "";

    @AttributeDefinition(name = "Password", description = "For auth = username. Never printed.",
            type = AttributeType.PASSWORD, required = false)
    String _password() default "";

    @AttributeDefinition(name = "Publishing interval", description = "Milliseconds (> 0).")
    String publishing_interval() default "1000";

    @AttributeDefinition(name = "Sampling interval",
            description = "Default sampling interval in milliseconds (0 = as fast as the server can, -1 = publishing interval).")
    String sampling_interval() default "500";

    @AttributeDefinition(name = "Queue size",
            description = "Samples the server keeps per monitored item between two publishes (0..10000). "
                    + "0 sizes it for freshness: the samples of one publishing interval (publishing / sampling "
                    + "interval, at least 1), so a late publish never brings older values; 1 delivers only the "
                    + "newest value; more keeps the samples of a late publish.")
    String queue_size() default "0";

    @AttributeDefinition(name = "Discard oldest",
            description = "When an item's queue is full the server drops the oldest sample (true: the newest "
                    + "value always arrives) or the newest (false).")
    String discard_oldest() default "true";

    @AttributeDefinition(name = "Items per subscription",
            description = "Most monitored items in one subscription (1..100000); larger tag lists are spread "
                    + "over several subscriptions on the one session.")
    String subscription_max_items() default "1000";

    @AttributeDefinition(name = "Publish requests",
            description = "Publish requests kept in flight on the session (0 = sized from the number of tags and "
                    + "the publishing interval; else 1..1000). The tags are spread over at least this many "
                    + "subscriptions minus one, as the client keeps one request per subscription plus one.")
    String publish_requests() default "0";

    @AttributeDefinition(name = "Deadband type", description = "none, absolute or percent (default for every tag).")
    String deadband_type() default "none";

    @AttributeDefinition(name = "Deadband value", description = "Default deadband (>= 0; percent: 0..100).")
    String deadband_value() default "0";

    @AttributeDefinition(name = "Keep-alive interval",
            description = "Milliseconds between session keep-alive reads (>= 1000).")
    String keepalive_interval() default "5000";

    @AttributeDefinition(name = "Request timeout", description = "Milliseconds a service call may take (>= 100).")
    String request_timeout() default "10000";

    @AttributeDefinition(name = "Reconnect back-off minimum", description = "Milliseconds before the first retry.")
    String reconnect_min() default "1000";

    @AttributeDefinition(name = "Reconnect back-off maximum", description = "Upper bound of the doubling back-off, ms.")
    String reconnect_max() default "30000";

    @AttributeDefinition(name = "Tags",
            description = "Inline read-only tags: entries separated by ';' or new lines, each name=nodeId "
                    + "(for example temp=ns=2;s=Temp; nsu=<uri>;s=... works too: the part after ns=/nsu= "
                    + "continues the node id). Use a tags file for rw tags and limits.",
            required = false)
    String tags() default "";

    @AttributeDefinition(name = "Tags file",
            description = "CSV: name,nodeId,samplingInterval,deadband,access,min,max,unit,description. "
                    + "Relative paths are resolved against karaf.base.", required = false)
    String tags_file() default "";

    @AttributeDefinition(name = "PKI directory",
            description = "Where the client certificate and the trust lists live. Default ${karaf.data}/fogwerk/pki.",
            required = false)
    String pki_dir() default "";

    @AttributeDefinition(name = "Accept any server certificate",
            description = "Trusts every server certificate. For commissioning only: logs a WARN while on.")
    boolean security_auto_accept() default false;
}
