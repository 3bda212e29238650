package org.fogwerk.uplink.mqtt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** One MQTT uplink: {@code etc/org.fogwerk.uplink.mqtt-<name>.cfg}. */
@ObjectClassDefinition(name = "Fogwerk MQTT uplink",
        description = "Publishes tag values to an MQTT broker through a durable on-disk outbox")
public @interface MqttUplinkConfig {

    @AttributeDefinition(name = "Name", description = "Uplink name; default: the part of the file name after the first '-'")
    String name() default "";

    @AttributeDefinition(name = "Profile", description = "What the uplink speaks to the broker",
            options = {@Option(value = "plain", label = "plain: Fogwerk JSON on topic.template"),
                    @Option(value = "sparkplug", label = "sparkplug: Sparkplug B edge node, each thing a device"),
                    @Option(value = "aws-iot", label = "aws-iot: AWS IoT Core, telemetry on topic.template, shadows synchronised")})
    String profile() default "plain";

    @AttributeDefinition(name = "Broker URLs", description = "Comma-separated tcp:// or ssl:// URLs, tried in order (fail-over); required: no broker is assumed")
    String broker_urls() default "";

    @AttributeDefinition(name = "Client id", description = "MQTT client id; default fogwerk-<node>-<name>")
    String client_id() default "";

    @AttributeDefinition(name = "Node id", description = "The {node} of topics; default: the node's id (fogwerk.node in etc/custom.properties, else the host name)")
    String node_id() default "";

    @AttributeDefinition(name = "Keep-alive (s)")
    int keepalive() default 30;

    @AttributeDefinition(name = "Connect timeout (s)")
    int connect_timeout() default 10;

    @AttributeDefinition(name = "User name", required = false)
    String username() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false)
    String _password() default "";

    @AttributeDefinition(name = "TLS CA file", description = "PEM file with the CA certificate(s) that sign the broker's certificate; empty: the JVM's trust store", required = false)
    String tls_ca_file() default "";

    @AttributeDefinition(name = "TLS client certificate", description = "PEM file with the client certificate (chain)", required = false)
    String tls_cert_file() default "";

    @AttributeDefinition(name = "TLS client key", description = "PEM file with the client's private key: RSA, EC or Ed25519, as PKCS#8 (BEGIN PRIVATE KEY), PKCS#1/SEC1 (BEGIN RSA/EC PRIVATE KEY, as AWS IoT hands it out) or encrypted (BEGIN ENCRYPTED PRIVATE KEY, or OpenSSL's Proc-Type: 4,ENCRYPTED) with tls.key.password", required = false)
    String tls_key_file() default "";

    @AttributeDefinition(name = "TLS client key password", description = "Only for an encrypted tls.key.file", type = AttributeType.PASSWORD, required = false)
    String tls_key_password() default "";

    @AttributeDefinition(name = "TLS host name verification")
    boolean tls_hostname_verification() default true;

    @AttributeDefinition(name = "QoS", options = {@Option(value = "1", label = "1: at least once"),
            @Option(value = "0", label = "0: at most once")})
    int qos() default 1;

    @AttributeDefinition(name = "Topic template", description = "Placeholders {node} {connection} {thing} {tag}; no + or #")
    String topic_template() default "fogwerk/{node}/{thing}/{tag}";

    @AttributeDefinition(name = "Payload", options = {@Option(value = "json", label = "one JSON message per value"),
            @Option(value = "json-batch", label = "JSON batches per topic ({tag} renders as 'batch')")})
    String payload() default "json";

    @AttributeDefinition(name = "Things", description = "Comma-separated glob patterns of thing names to publish")
    String include_things() default "*";

    @AttributeDefinition(name = "Tags", description = "Comma-separated glob patterns of tag names (or connection/tag) to publish")
    String include_tags() default "*";

    @AttributeDefinition(name = "Batch: max values", description = "json-batch: values per message")
    int batch_max_values() default 100;

    @AttributeDefinition(name = "Batch: max bytes", description = "json-batch: payload bytes per message")
    int batch_max_bytes() default 65536;

    @AttributeDefinition(name = "Batch: linger (ms)", description = "json-batch: longest wait for a batch to fill")
    int batch_linger_ms() default 100;

    @AttributeDefinition(name = "Outbox: max bytes", description = "Size limit of the outbox (stored message bytes)")
    long outbox_max_bytes() default 256L * 1024 * 1024;

    @AttributeDefinition(name = "Outbox: max messages", description = "Message limit of the outbox; 0: no limit")
    long outbox_max_messages() default 0;

    @AttributeDefinition(name = "Outbox: when full", options = {@Option(value = "drop-oldest", label = "drop the oldest"),
            @Option(value = "refuse", label = "refuse new values")})
    String outbox_full_policy() default "drop-oldest";

    @AttributeDefinition(name = "Outbox: group commit (ms)", description = "Longest wait before appended values are committed to disk")
    int outbox_commit_ms() default 5;

    @AttributeDefinition(name = "Largest packet",
            description = "Largest MQTT packet in bytes the broker takes (embedded broker: its max.packet.bytes; AWS IoT"
                    + " Core: 131072). A message that would be larger is refused, counted and logged, never sent.",
            min = "1024", max = "268435455")
    int max_packet_bytes() default 268435455;

    @AttributeDefinition(name = "In-flight window", description = "QoS 1 messages sent but not yet acknowledged")
    int max_inflight() default 1000;

    @AttributeDefinition(name = "Command topic", description = "Subscribed; last level '+' is the thing; payload: a shadow update document. Empty: no commands")
    String command_topic() default "fogwerk/{node}/command/+";

    @AttributeDefinition(name = "Reply topic", description = "Where command answers and errors go; {node} {thing}")
    String reply_topic() default "fogwerk/{node}/reply/{thing}";

    @AttributeDefinition(name = "Command: max bytes", description = "Largest request taken on the command topic "
            + "and the $aws shadow topics, the whole message (clientToken, version, spaces and all); the state in it "
            + "is limited by the shadow store's max.state.bytes (8 KiB, as AWS IoT counts it).")
    int command_max_bytes() default 16384;

    @AttributeDefinition(name = "Reconnect: min back-off (ms)")
    long reconnect_min_ms() default 500;

    @AttributeDefinition(name = "Reconnect: max back-off (ms)")
    long reconnect_max_ms() default 30000;

    // ---- profile = sparkplug ----

    @AttributeDefinition(name = "Sparkplug: group id", description = "profile = sparkplug: the Sparkplug group of this edge node; no + / #")
    String sparkplug_group_id() default "fogwerk";

    @AttributeDefinition(name = "Sparkplug: edge node id", description = "profile = sparkplug: default the node id; no + / #")
    String sparkplug_edge_node_id() default "";

    @AttributeDefinition(name = "Sparkplug: primary host id", description = "profile = sparkplug: births only while this host application's STATE is online; empty: no primary host", required = false)
    String sparkplug_primary_host_id() default "";

    @AttributeDefinition(name = "Sparkplug: connector check (ms)", description = "profile = sparkplug: how often connection states are checked for DDEATH / DBIRTH")
    int sparkplug_device_check_ms() default 1000;

    @AttributeDefinition(name = "Sparkplug: birth settle time (ms)", description = "profile = sparkplug: after the session starts, how long device births wait at most for every tag of the device to have a value and its connections to finish connecting, so that each device is born once")
    int sparkplug_birth_settle_ms() default 3000;

    @AttributeDefinition(name = "Sparkplug: data QoS", description = "profile = sparkplug: QoS of NDATA/DDATA. 0, as Sparkplug requires: a value leaves the outbox once written to the connection. 1 keeps it until the broker acknowledged it, outside the specification",
            options = {@Option(value = "0", label = "0: as Sparkplug requires"), @Option(value = "1", label = "1: acknowledged (not Sparkplug conformant)")})
    int sparkplug_data_qos() default 0;

    @AttributeDefinition(name = "AWS IoT: thing name", description = "profile = aws-iot: the thing of this node's certificate; also the default client id", required = false)
    String aws_thing_name() default "";

    @AttributeDefinition(name = "AWS IoT: shadows", description = "profile = aws-iot: comma-separated thing[:shadow] to synchronise with the cloud ('thing' alone: its classic shadow); empty: the classic shadow of aws.thing.name", required = false)
    String aws_shadows() default "";

    @AttributeDefinition(name = "AWS IoT: sync direction", options = {@Option(value = "both", label = "both ways, three-way merge"),
            @Option(value = "device-to-cloud", label = "changes on the node go to the cloud, nothing comes down"),
            @Option(value = "cloud-to-device", label = "changes in the cloud come to the node, nothing goes up")})
    String aws_sync_direction() default "both";

    @AttributeDefinition(name = "AWS IoT: reply timeout (ms)", description = "profile = aws-iot: longest wait for the cloud's answer to a shadow request")
    int aws_reply_timeout_ms() default 10000;

    @AttributeDefinition(name = "Shadow topics", description = "profile = plain: 'aws' serves the AWS IoT shadow topics ($aws/things/<thing>/shadow/...) of the node's shadow store on this broker; empty: none", required = false)
    String shadow_topics() default "";
}
