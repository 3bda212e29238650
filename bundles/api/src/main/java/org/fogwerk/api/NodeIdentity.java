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

    private NodeIdentity() {
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
