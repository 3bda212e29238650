package org.fogwerk.web.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

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

    ConnectorRegistry connectors() throws ApiException {
        return require(connectors, "connector registry");
    }

    TagBus bus() throws ApiException {
        return require(bus, "tag bus");
    }

    ThingRegistry things() throws ApiException {
        return require(things, "thing registry");
    }

    ShadowStore shadows() throws ApiException {
        return require(shadows, "shadow store");
    }

    WriteGateway gateway() throws ApiException {
        return require(gateway, "write gateway");
    }

    AuditTrail audit() throws ApiException {
        return require(audit, "audit trail");
    }

    RouteCatalog routes() throws ApiException {
        return require(routes, "route catalog (routing rules)");
    }

    AlarmLog alarms() throws ApiException {
        return require(alarms, "alarm log (routing rules)");
    }

    Optional<AlarmLog> alarmsIfAny() {
        return Optional.ofNullable(alarms);
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

    Optional<WriteGateway> gatewayIfAny() {
        return Optional.ofNullable(gateway);
    }

    Optional<RouteCatalog> routesIfAny() {
        return Optional.ofNullable(routes);
    }

    Optional<ConnectorRegistry> connectorsIfAny() {
        return Optional.ofNullable(connectors);
    }

    Optional<TagBus> busIfAny() {
        return Optional.ofNullable(bus);
    }

    Optional<ReportedState> reportedIfAny() {
        return Optional.ofNullable(reported);
    }

    Optional<ShadowStore> shadowsIfAny() {
        return Optional.ofNullable(shadows);
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

    private static <T> T require(T service, String what) throws ApiException {
        if (service == null) {
            throw ApiException.unavailable(what);
        }
        return service;
    }
}
