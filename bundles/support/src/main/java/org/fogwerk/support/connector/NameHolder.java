package org.fogwerk.support.connector;

import java.util.List;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.connector.spi.TagSink;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/**
 * Whether a connection holds its name in the node. Two configuration files may name the same
 * connection (an OPC UA and a Modbus file both for {@code press01}); the node's connector registry
 * keeps the first registered and lists the other as FAILED. The other may still reach its
 * machine: its values must not go onto the tag bus under the name of the first, where they would
 * mix with another machine's. This passes a connection's values on only while it holds its name,
 * and from the moment it takes the name over when the first goes away.
 */
public final class NameHolder implements ServiceListener, AutoCloseable {

    private final BundleContext context;
    private volatile String filter;
    private volatile long own = Long.MAX_VALUE;
    private volatile boolean holds;

    /** Passes nothing on until {@link #watch} names the connection. */
    public NameHolder(BundleContext context) {
        this.context = context;
    }

    /** The connection's id, known once its configuration is read. */
    public void watch(String id) {
        String f = "(&(" + Constants.OBJECTCLASS + "=" + Connector.class.getName() + ")(" + Connector.ID_PROPERTY + "="
                + id.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*") + "))";
        try {
            context.addServiceListener(this, f);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("connection id " + id + " cannot be looked up: " + e.getMessage(), e);
        }
        filter = f;
        recompute();
    }

    /** The connection's own registration: from now on it is compared by registration order. */
    public void registered(ServiceRegistration<?> registration) {
        own = (Long) registration.getReference().getProperty(Constants.SERVICE_ID);
        recompute();
    }

    /** Whether no other connection of this name was registered before this one. */
    public boolean holds() {
        return holds;
    }

    /** {@code sink}, passing values on only while this connection holds its name. */
    public TagSink gate(TagSink sink) {
        return new TagSink() {
            @Override
            public boolean publish(TagValue value) {
                return !holds || sink.publish(value);
            }

            @Override
            public int publishAll(List<TagValue> values) {
                return holds ? sink.publishAll(values) : values.size();
            }
        };
    }

    @Override
    public void serviceChanged(ServiceEvent event) {
        recompute();
    }

    private void recompute() {
        if (filter == null) {
            return;
        }
        ServiceReference<?>[] refs;
        try {
            refs = context.getServiceReferences((String) null, filter);
        } catch (InvalidSyntaxException | IllegalStateException e) {
            return;
        }
        boolean first = true;
        if (refs != null) {
            for (ServiceReference<?> r : refs) {
                Object sid = r.getProperty(Constants.SERVICE_ID);
                if (sid instanceof Long && (Long) sid < own) {
                    first = false;
                }
            }
        }
        holds = first;
    }

    @Override
    public void close() {
        try {
            context.removeServiceListener(this);
        } catch (IllegalStateException e) {
            // the bundle is stopping
        }
    }
}
