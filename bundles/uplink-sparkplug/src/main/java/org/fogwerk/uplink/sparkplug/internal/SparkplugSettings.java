package org.fogwerk.uplink.sparkplug.internal;

import java.util.Map;

import org.fogwerk.support.config.InvalidConfigurationException;

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
    /** More than one broker in {@code broker.urls}: a primary host offline here may be online on another. */
    final boolean severalServers;
    private final String devicePrefix;

    /** @param c the uplink's keys by their names in the file, with their defaults */
    SparkplugSettings(Map<String, Object> c, String node) throws InvalidConfigurationException {
        this.group = id("sparkplug.group.id", (String) c.get("sparkplug.group.id"), null);
        this.edgeNode = id("sparkplug.edge.node.id", (String) c.get("sparkplug.edge.node.id"), node);
        String host = ((String) c.get("sparkplug.primary.host.id")).trim();
        this.primaryHost = host.isEmpty() ? "" : id("sparkplug.primary.host.id", host, null);
        int check = (Integer) c.get("sparkplug.device.check.ms");
        if (check < 100 || check > 600_000) {
            throw new InvalidConfigurationException(null, "sparkplug.device.check.ms", check + " is outside 100..600000");
        }
        this.deviceCheckMs = check;
        int settle = (Integer) c.get("sparkplug.birth.settle.ms");
        if (settle < 0 || settle > 60_000) {
            throw new InvalidConfigurationException(null, "sparkplug.birth.settle.ms", settle + " is outside 0..60000");
        }
        this.birthSettleMs = settle;
        int qos = (Integer) c.get("sparkplug.data.qos");
        if (qos != 0 && qos != 1) {
            throw new InvalidConfigurationException(null, "sparkplug.data.qos", qos + " is not 0 or 1");
        }
        this.dataQos = qos;
        String base = NAMESPACE + "/" + group + "/";
        this.nbirth = base + "NBIRTH/" + edgeNode;
        this.ndeath = base + "NDEATH/" + edgeNode;
        this.ncmd = base + "NCMD/" + edgeNode;
        this.dcmdFilter = base + "DCMD/" + edgeNode + "/+";
        this.state = primaryHost.isEmpty() ? null : NAMESPACE + "/STATE/" + primaryHost;
        Object urls = c.get("broker.urls");
        this.severalServers = urls != null && java.util.Arrays.stream(urls.toString().split(","))
                .filter(u -> !u.isBlank()).count() > 1;
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

    private static String id(String key, String value, String fallback) throws InvalidConfigurationException {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty() && fallback != null) {
            v = fallback;
        }
        if (v.isEmpty()) {
            throw new InvalidConfigurationException(null, key, "must not be empty");
        }
        for (char ch : new char[] {'/', '+', '#'}) {
            if (v.indexOf(ch) >= 0) {
                throw new InvalidConfigurationException(null, key, "'" + v + "' must not contain " + ch + " (Sparkplug ids are topic levels)");
            }
        }
        return v;
    }
}
