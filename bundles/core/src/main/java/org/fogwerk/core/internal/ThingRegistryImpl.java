package org.fogwerk.core.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.fogwerk.api.NodeIdentity;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.api.registry.FieldMapping;
import org.fogwerk.api.registry.Thing;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.support.config.ConfigurationFile;
import org.fogwerk.support.config.LenientConfig;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The things of the node. Configured things map tags to fields; every connection that no
 * configured thing mentions is a thing of its own with one top-level field per tag, so a demo
 * needs no mapping at all; a machine with more tags than one shadow holds has its fields spread
 * over named shadows ({@link ImplicitShadows}). The tag-to-field index is rebuilt when a thing
 * file changes, and looked up on the hot path without allocation.
 */
@Component(service = ThingRegistry.class, immediate = true, configurationPid = ThingRegistryImpl.PID)
@Designate(ocd = ThingsConfig.class)
public final class ThingRegistryImpl implements ThingRegistry {

    static final String PID = "org.fogwerk.things";

    private static final Logger LOG = LoggerFactory.getLogger(ThingRegistryImpl.class);

    private final ConnectorRegistry connectors;
    private final List<ThingSource> sources = new CopyOnWriteArrayList<>();
    private final Set<String> warnedMappings = ConcurrentHashMap.newKeySet();
    private volatile Index index = new Index(Map.of(), Map.of(), Set.of(), new ConcurrentHashMap<>());
    /** Goes up whenever the things or their mappings change. */
    private volatile long generation;
    /** Which shadow each field of an implicit thing is in, per connection, from its tag list. */
    private final Map<String, ImplicitShadows> implicitShadows = new ConcurrentHashMap<>();
    private volatile int implicitBudget;

    /** {@code implicit.name} with {@code {node}} filled in; {@code {connection}} stays to be filled per connection. */
    private volatile String implicitName;
    /** The node's id, which {@code {node}} in implicit.name stands for. */
    private final String node;
    /** The node's own thing, whose named shadow reports and orders its software; absent without a node id. */
    private final Thing nodeThing;

    /** Implicit things named after their connection. */
    public ThingRegistryImpl(ConnectorRegistry connectors) {
        this(connectors, "{connection}", "");
    }

    @Activate
    public ThingRegistryImpl(@Reference ConnectorRegistry connectors, ThingsConfig config, BundleContext context) {
        this(connectors, (config = LenientConfig.of(ThingsConfig.class, config, "etc/" + PID + ".cfg")).implicit_name(),
                NodeIdentity.of(context == null ? null : context::getProperty), budget(config.implicit_shadow_bytes()));
    }

    /** {@code implicit.shadow.bytes} from the file: outside 256..65536 (its metatype range) the default. */
    static int budget(int configured) {
        if (configured >= 256 && configured <= 65536) {
            return configured;
        }
        LOG.error("etc/{}.cfg: implicit.shadow.bytes = {} is outside 256..65536; {} is used", PID, configured,
                ImplicitShadows.DEFAULT_BUDGET);
        return ImplicitShadows.DEFAULT_BUDGET;
    }

    ThingRegistryImpl(ConnectorRegistry connectors, String implicitTemplate, String node) {
        this(connectors, implicitTemplate, node, ImplicitShadows.DEFAULT_BUDGET);
    }

    public ThingRegistryImpl(ConnectorRegistry connectors, String implicitTemplate, String node, int implicitBudget) {
        this.connectors = connectors;
        this.node = node;
        this.implicitBudget = implicitBudget;
        this.implicitName = template(implicitTemplate, node);
        this.nodeThing = node == null || node.isBlank() ? null
                : new Thing(node, NodeIdentity.THING_TYPE, Map.of(), NodeIdentity.SHADOW, List.of(), true, "");
        if (!implicitName.equals("{connection}")) {
            LOG.info("Implicit things are named {}", implicitName);
        }
        rebuild();
    }

    private static String template(String implicitTemplate, String node) {
        String template = implicitTemplate == null || implicitTemplate.isBlank() ? "{connection}" : implicitTemplate.trim();
        if (!template.contains("{connection}")) {
            LOG.error("{}.cfg: implicit.name '{}' has no {{connection}}: every connection would be the same thing; "
                    + "using {{connection}}", PID, template);
            template = "{connection}";
        }
        return template.replace("{node}", node);
    }

    /**
     * A change of {@code etc/org.fogwerk.things.cfg} is taken in place: the registry is not made
     * anew, so the parts of the node that need it (routes, write gateway, shell, uplinks) go on
     * running. An edit that changes neither key (a comment, an unknown key) changes nothing.
     */
    @Modified
    void modified(ThingsConfig config, Map<String, Object> properties) {
        if (ConfigurationFile.notText(properties).isPresent()) {
            return; // refused as a whole, and the file as it was written back (NotTextConfigurationGuard)
        }
        config = LenientConfig.of(ThingsConfig.class, config, "etc/" + PID + ".cfg");
        String name = template(config.implicit_name(), node);
        int budget = budget(config.implicit_shadow_bytes());
        if (name.equals(implicitName) && budget == implicitBudget) {
            return;
        }
        LOG.info("Implicit things are named {}, their shadows split at {} bytes", name, budget);
        implicitName = name;
        implicitBudget = budget;
        implicitShadows.clear();
        rebuild();
    }

    /** The name of the implicit thing of a connection. */
    String implicitName(String connectionId) {
        return implicitName.replace("{connection}", connectionId);
    }

    /** The connection whose implicit thing has this name, if any. */
    private Optional<String> connectionOfImplicit(String name) {
        if (implicitName.equals("{connection}")) {
            return Optional.of(name);
        }
        int at = implicitName.indexOf("{connection}");
        String before = implicitName.substring(0, at);
        String after = implicitName.substring(at + "{connection}".length());
        if (name.length() <= before.length() + after.length() || !name.startsWith(before) || !name.endsWith(after)) {
            return Optional.empty();
        }
        return Optional.of(name.substring(before.length(), name.length() - after.length()));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addSource(ThingSource source) {
        sources.add(source);
        rebuild();
        for (FieldMapping m : source.thing().mappings()) {
            if (connectors.connector(m.connectionId()).isPresent()) {
                checkTag(source, m, connectors.tags(m.connectionId()));
            }
        }
    }

    /**
     * Only to learn each connection's tags as soon as it comes: for {@link #checkTag}, and to place
     * its implicit thing's fields before its first values arrive.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addConnector(Connector connector) {
        List<TagDefinition> tags = connector.tags();
        ImplicitShadows placed = ImplicitShadows.of(tags, implicitBudget);
        if (placed.shadows() > 1 && !index.mappedConnections().contains(connector.id())) {
            LOG.info("Connection {} has {} tags: its thing {} reports them in the classic shadow and the named shadows "
                    + "{}2 to {}{}", connector.id(), tags.size(), implicitName(connector.id()), ImplicitShadows.PREFIX,
                    ImplicitShadows.PREFIX, placed.shadows());
        }
        implicitShadows.put(connector.id(), placed);
        index.implicit().remove(connector.id());
        for (ThingSource source : sources) {
            for (FieldMapping m : source.thing().mappings()) {
                if (m.connectionId().equals(connector.id())) {
                    checkTag(source, m, tags);
                }
            }
        }
    }

    void removeConnector(Connector connector) {
        // the mappings stay: the connection may come back
    }

    /**
     * A mapping to a tag its connection does not have feeds nothing, silently: say so once, with
     * the file, the key and the nearest tag name.
     */
    private void checkTag(ThingSource source, FieldMapping m, List<TagDefinition> tags) {
        if (tags.isEmpty() || tags.stream().anyMatch(t -> t.name().equals(m.tag()))) {
            return;
        }
        String warning = source.source() + ": map." + m.field() + " = " + m.connectionId() + "/" + m.tag()
                + ": connection " + m.connectionId() + " has no tag " + m.tag()
                + UnknownKeys.nearest(m.tag(), tags.stream().map(TagDefinition::name).toList())
                        .map(n -> "; did you mean " + n + "?").orElse("");
        if (warnedMappings.add(warning)) {
            LOG.warn(warning);
        }
    }

    /** The warnings about mappings to missing tags given so far (each once). */
    List<String> mappingWarnings() {
        return List.copyOf(warnedMappings);
    }

    void removeSource(ThingSource source) {
        sources.remove(source);
        warnedMappings.removeIf(w -> w.startsWith(source.source() + ": "));
        rebuild();
    }

    @Override
    public List<Thing> things() {
        Index current = index;
        Map<String, Thing> all = new HashMap<>(current.things);
        for (ConnectorInfo c : connectors.connectors()) {
            String name = implicitName(c.id());
            if (!current.mappedConnections.contains(c.id()) && !all.containsKey(name)) {
                all.put(name, implicitThing(c.id()));
            }
        }
        if (nodeThing != null) {
            all.putIfAbsent(nodeThing.name(), nodeThing);
        }
        List<Thing> result = new ArrayList<>(all.values());
        result.sort(Comparator.comparing(Thing::name));
        return result;
    }

    @Override
    public Optional<Thing> thing(String name) {
        Index current = index;
        Thing configured = current.things.get(name);
        if (configured != null) {
            return Optional.of(configured);
        }
        Optional<String> connection = connectionOfImplicit(name);
        if (connection.isPresent() && !current.mappedConnections.contains(connection.get())
                && connectors.connector(connection.get()).isPresent()) {
            return Optional.of(implicitThing(connection.get()));
        }
        if (nodeThing != null && nodeThing.name().equals(name)) {
            return Optional.of(nodeThing);
        }
        return Optional.empty();
    }

    @Override
    public List<Target> targets(String connectionId, String tag) {
        Index current = index;
        Map<String, List<Target>> byTag = current.targets.get(connectionId);
        if (byTag != null) {
            List<Target> t = byTag.get(tag);
            return t == null ? List.of() : t;
        }
        // every value of a connection without a mapping asks this: once answered for this index, the
        // answer is found without building the implicit thing's name again
        Map<String, List<Target>> implicit = current.implicit.get(connectionId);
        List<Target> known = implicit == null ? null : implicit.get(tag);
        if (known != null) {
            return known;
        }
        // one instance of the name for all the connection's tags: a machine of 10,000 tags kept 10,000 copies
        String name = implicitName(connectionId).intern();
        boolean none = current.mappedConnections.contains(connectionId) || current.things.containsKey(name);
        return current.implicit.computeIfAbsent(connectionId, id -> new ConcurrentHashMap<>())
                .computeIfAbsent(tag, t -> none ? List.of()
                        : List.of(new Target(name, implicitShadows(connectionId).shadowOf(t), t)));
    }

    private ImplicitShadows implicitShadows(String connectionId) {
        ImplicitShadows placed = implicitShadows.get(connectionId);
        if (placed != null) {
            return placed;
        }
        // the registry may know the connection before this registry's own binding did
        List<TagDefinition> tags = connectors.tags(connectionId);
        placed = ImplicitShadows.of(tags, implicitBudget);
        if (!tags.isEmpty()) {
            implicitShadows.putIfAbsent(connectionId, placed);
        }
        return placed;
    }

    private Thing implicitThing(String connectionId) {
        List<FieldMapping> mappings = new ArrayList<>();
        for (TagDefinition d : connectors.tags(connectionId)) {
            mappings.add(new FieldMapping(d.name(), connectionId, d.name()));
        }
        return new Thing(implicitName(connectionId), "", Map.of(), "", mappings, true, "");
    }

    private synchronized void rebuild() {
        Map<String, Thing> things = new HashMap<>();
        Map<String, Map<String, List<Target>>> targets = new HashMap<>();
        Set<String> mapped = new HashSet<>();
        for (ThingSource source : sources) {
            Thing t = source.thing();
            if (things.containsKey(t.name())) {
                LOG.error("Two thing configurations are named {}: the second is ignored", t.name());
                continue;
            }
            things.put(t.name(), t);
            if (!t.error().isEmpty()) {
                continue;
            }
            for (FieldMapping m : t.mappings()) {
                mapped.add(m.connectionId());
                targets.computeIfAbsent(m.connectionId(), c -> new HashMap<>())
                        .computeIfAbsent(m.tag(), x -> new ArrayList<>())
                        .add(new Target(t.name(), t.shadow(), m.field()));
            }
        }
        Map<String, Map<String, List<Target>>> frozen = new HashMap<>();
        targets.forEach((c, byTag) -> {
            Map<String, List<Target>> f = new HashMap<>();
            byTag.forEach((tag, list) -> f.put(tag, List.copyOf(list)));
            frozen.put(c, Map.copyOf(f));
        });
        index = new Index(Map.copyOf(things), Map.copyOf(frozen), Set.copyOf(mapped), new ConcurrentHashMap<>());
        generation++;
    }

    /** Changes whenever a thing, a mapping or a connection (and with it an implicit thing) comes, goes or changes. */
    long generation() {
        return generation;
    }

    /** What the things say, and the implicit targets found since (the connection's tags, placed in its shadows). */
    private record Index(Map<String, Thing> things, Map<String, Map<String, List<Target>>> targets,
            Set<String> mappedConnections, Map<String, Map<String, List<Target>>> implicit) {
    }
}
