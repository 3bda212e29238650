package org.fogwerk.api;

import java.net.InetAddress;
import java.util.function.UnaryOperator;

/**
 * The node's id: the framework property {@value #PROPERTY} (set in {@code etc/custom.properties}),
 * else the host name without its domain. Uplinks use it in topics and client ids, and the thing
 * registry may use it in the names of implicit things, so that two nodes on one broker never
 * answer for each other.
 */
public final class NodeIdentity {

    /** The framework property that names the node. */
    public static final String PROPERTY = "fogwerk.node";

    /**
     * The named shadow of the node's own thing (the thing named after the node's id): reported
     * state says what software runs, desired state orders software updates.
     */
    public static final String SHADOW = "fogwerk-node";

    /** The type of the node's own thing in the thing registry. */
    public static final String THING_TYPE = "fogwerk-node";

    /**
     * How the names of Fogwerk's own features begin: the only features the node reports in its
     * shadow and takes orders for, never the container's others.
     *
     * @since 1.5
     */
    public static final String FEATURE_PREFIX = "fogwerk";

    private NodeIdentity() {
    }

    /**
     * Why an order to install, update or remove the feature is refused, {@code null} when it is
     * one of Fogwerk's own.
     *
     * @since 1.5
     */
    public static String notOrderable(String feature) {
        return feature != null && feature.startsWith(FEATURE_PREFIX) ? null : feature
                + " is not a Fogwerk feature: only fogwerk features (names starting with \"" + FEATURE_PREFIX
                + "\") can be ordered";
    }

    /**
     * @param properties reads a framework property ({@code BundleContext::getProperty}); may return {@code null}
     */
    public static String of(UnaryOperator<String> properties) {
        String node = properties == null ? null : properties.apply(PROPERTY);
        if (node == null || node.isBlank()) {
            node = System.getenv("HOSTNAME");
        }
        if (node == null || node.isBlank()) {
            try {
                node = InetAddress.getLocalHost().getHostName();
            } catch (Exception e) {
                node = "fogwerk";
            }
        }
        node = node.trim();
        int dot = node.indexOf('.');
        return dot > 0 ? node.substring(0, dot) : node;
    }
}
