package org.fogwerk.web.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.fogwerk.api.alarm.AlarmLog;
import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.registry.ReportedState;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.routes.RouteCatalog;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.simulator.Simulator;
import org.fogwerk.api.uplink.Uplink;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The node's services as the HTTP side sees them, through the API only: the same services the
 * shell uses, so REST, metrics and health hold no logic of their own about connectors,
 * shadows, writes or uplinks. Each may come and go at run time; a resource whose service is
 * absent answers 503.
 */
@Component(service = Node.class)
public final class Node {

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public volatile ConnectorRegistry connectors;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public volatile TagBus bus;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public volatile ThingRegistry things;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public volatile ShadowStore shadows;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ReportedState reported;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile WriteGateway gateway;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile AuditTrail audit;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile RouteCatalog routes;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile AlarmLog alarms;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ConfigurationAdmin configurations;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    final List<Uplink> uplinks = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    final List<Simulator> simulators = new CopyOnWriteArrayList<>();

    /** A service the HTTP side may find absent, with the name a 503 gives it then. */
    record Service<T>(Function<Node, T> current, String name) {
    }

    static final Service<ConnectorRegistry> CONNECTORS = new Service<>(n -> n.connectors, "connector registry");
    static final Service<TagBus> BUS = new Service<>(n -> n.bus, "tag bus");
    static final Service<ThingRegistry> THINGS = new Service<>(n -> n.things, "thing registry");
    static final Service<ShadowStore> SHADOWS = new Service<>(n -> n.shadows, "shadow store");
    static final Service<ReportedState> REPORTED = new Service<>(n -> n.reported, "reported state");
    static final Service<WriteGateway> GATEWAY = new Service<>(n -> n.gateway, "write gateway");
    static final Service<AuditTrail> AUDIT = new Service<>(n -> n.audit, "audit trail");
    static final Service<RouteCatalog> ROUTES = new Service<>(n -> n.routes, "route catalog (routing rules)");
    static final Service<AlarmLog> ALARMS = new Service<>(n -> n.alarms, "alarm log (routing rules)");

    /** The service as it is now; a 503 naming it when it is absent. */
    <T> T require(Service<T> service) throws ApiException {
        return ifAny(service).orElseThrow(() -> ApiException.unavailable(service.name()));
    }

    /** The service as it is now, if it is there. */
    <T> Optional<T> ifAny(Service<T> service) {
        return Optional.ofNullable(service.current().apply(this));
    }

    /**
     * The thing a tag feeds, for alarm events whose route did not know it (values that came
     * into the route other than from {@code fogwerk:tags}); empty when it feeds none.
     */
    String thingOf(String connection, String tag) {
        ThingRegistry registry = things;
        if (registry == null) {
            return "";
        }
        List<ThingRegistry.Target> targets = registry.targets(connection, tag);
        return targets.isEmpty() ? "" : targets.get(0).thing();
    }

    /** The uplinks, sorted by name. */
    List<Uplink> uplinks() {
        List<Uplink> list = new ArrayList<>(uplinks);
        list.sort(Comparator.comparing(Uplink::name));
        return list;
    }

    Optional<Uplink> uplink(String name) {
        return uplinks.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    List<Simulator> simulators() {
        List<Simulator> list = new ArrayList<>(simulators);
        list.sort(Comparator.comparing(s -> s.status().protocol()));
        return list;
    }
}
