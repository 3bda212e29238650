package org.fogwerk.web.standalone;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import javax.servlet.DispatcherType;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.fogwerk.api.authority.Roles;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.web.internal.ApiServlet;
import org.fogwerk.web.internal.AuthFilter;
import org.fogwerk.web.internal.Authenticator;
import org.fogwerk.web.internal.EventHub;
import org.fogwerk.web.internal.EventsServlet;
import org.fogwerk.web.internal.MetricsServlet;
import org.fogwerk.web.internal.Node;
import org.fogwerk.web.internal.Sessions;
import org.fogwerk.web.internal.ShadowActivity;
import org.fogwerk.web.internal.WebUser;

/**
 * The node's REST API, event stream and {@code /metrics} on Jetty at a free port of 127.0.0.1,
 * over the given services, on a plain class path; for the benchmarks. Credentials are checked as
 * in the node, but every user is let in as an admin: the realm itself is Karaf's. The package is
 * not exported.
 */
public final class StandaloneWeb implements AutoCloseable {

    private final EventHub hub;
    private final Server server;

    public StandaloneWeb(ConnectorRegistry connectors, TagBus bus, ThingRegistry things, ShadowStore shadows)
            throws Exception {
        Node node = new Node();
        node.connectors = connectors;
        node.bus = bus;
        node.things = things;
        node.shadows = shadows;
        hub = new EventHub(null, node, 10_000, 16);
        server = new Server(new InetSocketAddress("127.0.0.1", 0));
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        Authenticator any = (user, password) -> Optional.of(new WebUser(user, Set.of(Roles.ADMIN)));
        context.addFilter(new FilterHolder(new AuthFilter(any, new Sessions(Clock.systemUTC(), Duration.ofMinutes(5), 10, 10))),
                "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
        context.addServlet(new ServletHolder(new ApiServlet(node, 65536, 30)), "/api/v1/*");
        ServletHolder events = new ServletHolder(new EventsServlet(hub));
        events.setAsyncSupported(true);
        context.addServlet(events, "/api/v1/events");
        context.addServlet(new ServletHolder(new MetricsServlet(node, hub, new ShadowActivity())), "/metrics");
        server.setHandler(context);
        server.start();
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    /** What the event stream takes from the tag bus, to register as the node's listener would be. */
    public TagListener eventListener() {
        return hub::deliver;
    }

    /** Clients on the event stream now. */
    public int eventClients() {
        return hub.clientCount();
    }

    @Override
    public void close() throws Exception {
        server.stop();
        hub.deactivate();
    }
}
