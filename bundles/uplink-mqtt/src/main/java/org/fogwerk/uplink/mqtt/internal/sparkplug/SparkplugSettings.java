package org.fogwerk.uplink.mqtt.internal.sparkplug;

import org.fogwerk.uplink.mqtt.internal.ConfigException;
import org.fogwerk.uplink.mqtt.internal.MqttUplinkConfig;

/** The {@code sparkplug.*} keys of an uplink, checked, and the topics they make. */
final class SparkplugSettings {

    static final String NAMESPACE = "spBv1.0";

    final String group;
    final String edgeNode;
    /** Empty: no primary host application. */
    final String primaryHost;
    final int deviceCheckMs;
    /** How long device births wait at most at the start of a session for the devices' tags. */
    final int birthSettleMs;
    /** QoS of NDATA/DDATA. */
    final int dataQos;

    final String nbirth;
    final String ndeath;
    final String ncmd;
    final String dcmdFilter;
    final String state;
    private final String devicePrefix;

    SparkplugSettings(MqttUplinkConfig c, String node) throws ConfigException {
        this.group = id("sparkplug.group.id", c.sparkplug_group_id(), null);
        this.edgeNode = id("sparkplug.edge.node.id", c.sparkplug_edge_node_id(), node);
        String host = c.sparkplug_primary_host_id().trim();
        this.primaryHost = host.isEmpty() ? "" : id("sparkplug.primary.host.id", host, null);
        int check = c.sparkplug_device_check_ms();
        if (check < 100 || check > 600_000) {
            throw new ConfigException("sparkplug.device.check.ms", check + " is outside 100..600000");
        }
        this.deviceCheckMs = check;
        int settle = c.sparkplug_birth_settle_ms();
        if (settle < 0 || settle > 60_000) {
            throw new ConfigException("sparkplug.birth.settle.ms", settle + " is outside 0..60000");
        }
        this.birthSettleMs = settle;
        int qos = c.sparkplug_data_qos();
        if (qos != 0 && qos != 1) {
            throw new ConfigException("sparkplug.data.qos", qos + " is not 0 or 1");
        }
        this.dataQos = qos;
        String base = NAMESPACE + "/" + group + "/";
        this.nbirth = base + "NBIRTH/" + edgeNode;
        this.ndeath = base + "NDEATH/" + edgeNode;
        this.ncmd = base + "NCMD/" + edgeNode;
        this.dcmdFilter = base + "DCMD/" + edgeNode + "/+";
        this.state = primaryHost.isEmpty() ? null : NAMESPACE + "/STATE/" + primaryHost;
        this.devicePrefix = base;
    }

    /** {@code spBv1.0/group/DBIRTH/node/device} and the like. */
    String deviceTopic(String verb, String device) {
        return devicePrefix + verb + "/" + edgeNode + "/" + device;
    }

    /** A device id from a thing name: the characters Sparkplug forbids become {@code _}. */
    static String deviceId(String thing) {
        if (thing.indexOf('/') < 0 && thing.indexOf('+') < 0 && thing.indexOf('#') < 0) {
            return thing;
        }
        return thing.replace('/', '_').replace('+', '_').replace('#', '_');
    }

    private static String id(String key, String value, String fallback) throws ConfigException {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty() && fallback != null) {
            v = fallback;
        }
        if (v.isEmpty()) {
            throw new ConfigException(key, "must not be empty");
        }
        for (char ch : new char[] {'/', '+', '#'}) {
            if (v.indexOf(ch) >= 0) {
                throw new ConfigException(key, "'" + v + "' must not contain " + ch + " (Sparkplug ids are topic levels)");
            }
        }
        return v;
    }
}
