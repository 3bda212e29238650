package org.fogwerk.core.internal;

import java.util.Objects;
import java.util.function.UnaryOperator;

import org.fogwerk.api.NodeIdentity;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the node's id ({@code fogwerk.node}, a framework property set in
 * {@code etc/custom.properties}) a system property as well.
 *
 * <p>Configuration files name it as {@code ${fogwerk.node}} (the write policy, the things, the
 * uplinks). The file installer resolves that from framework properties, but Karaf's
 * {@code config:edit} ... {@code config:update} reads the file back with system properties only
 * before it hands the configuration on: without this, one {@code config:property-set} in
 * {@code etc/org.fogwerk.security.writes.cfg} turned every {@code ${fogwerk.node}} of the file
 * into an empty string, so its deny rules matched nothing and its allow rules no thing of the node.
 */
@Component(service = {}, immediate = true)
public final class NodeIdProperty {

    private static final Logger LOG = LoggerFactory.getLogger(NodeIdProperty.class);

    @Activate
    public NodeIdProperty(BundleContext context) {
        mirror(context::getProperty);
    }

    /**
     * Sets the system property to the framework property's value where it differs; does nothing
     * when the framework property is not set (the node then goes by its host name, and
     * {@code ${fogwerk.node}} stays empty for every reader alike).
     */
    static void mirror(UnaryOperator<String> framework) {
        String id = framework.apply(NodeIdentity.PROPERTY);
        if (id == null || id.isBlank()) {
            LOG.warn("{} is not set in etc/custom.properties: the node goes by its host name, {}, and ${{}} in a"
                    + " configuration file is empty", NodeIdentity.PROPERTY, NodeIdentity.of(framework),
                    NodeIdentity.PROPERTY);
            return;
        }
        if (!Objects.equals(id, System.getProperty(NodeIdentity.PROPERTY))) {
            System.setProperty(NodeIdentity.PROPERTY, id);
        }
    }
}
