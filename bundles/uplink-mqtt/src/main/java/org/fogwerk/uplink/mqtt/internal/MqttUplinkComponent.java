package org.fogwerk.uplink.mqtt.internal;

import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.fogwerk.api.ConfigurationNames;
import org.fogwerk.api.NodeIdentity;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.bus.TagBus;
import org.fogwerk.api.bus.TagListener;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.registry.ThingRegistry;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkState;
import org.fogwerk.api.uplink.spi.UplinkProfile;
import org.fogwerk.support.bus.BusListeners;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.fogwerk.support.config.ConfigurationFile;
import org.fogwerk.support.config.InvalidConfigurationException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT uplink per {@code etc/org.fogwerk.uplink.mqtt-<name>.cfg}. Registers the uplink as
 * {@link Uplink} (property {@value Uplink#NAME_PROPERTY}) and, when its configuration works, as a
 * tag bus {@link TagListener}. An uplink whose profile comes from a feature of its own waits
 * ({@code WAITING}) until that profile is installed, and stops when it goes.
 */
@Component(configurationPid = MqttUplinkComponent.PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
@Designate(ocd = MqttUplinkConfig.class, factory = true)
public final class MqttUplinkComponent {

    static final String PID = "org.fogwerk.uplink.mqtt";
    private static final Logger LOG = LoggerFactory.getLogger(MqttUplinkComponent.class);
    /**
     * What each uplink had counted when its file was changed or removed: the uplink made from the
     * new file counts on, so sent, dropped and refused never go down while the node runs.
     */
    private static final Map<String, MqttUplink.Counted> COUNTED = new java.util.concurrent.ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ShadowStore shadowStore;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ThingRegistry thingRegistry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile TagBus tagBus;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConnectorRegistry connectorRegistry;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile WriteGateway writeGateway;

    private final BundleContext context;
    private final MqttUplinkConfig config;
    private final String name;
    private final String fileName;
    private final ProfileDirectory directory;
    private UplinkSettings settings;
    /** The profile service the uplink needs; {@code null} for the plain profile. */
    private String needed;
    private Runnable unwatch;
    private UplinkProfile profileInUse;
    private MqttUplink uplink;
    private ServiceRegistration<?> registration;
    private boolean closed;
    /** Why the outbox could not be opened at the last start (a full disk), or null. */
    private String unopened;
    /** What the uplink had counted before its outbox failed, carried over to the one that opens it again. */
    private MqttUplink.Counted countedBefore;
    /** Opens the outbox again after it could not write (a full disk). */
    private final ScheduledExecutorService reopener;
    /** Why the file cannot become an uplink (it is refused as a whole, a key is bad, its client id is taken), or null. */
    private String failure;
    /** Whether this uplink holds its client id on its brokers. */
    private boolean clientIdTaken;

    @Activate
    public MqttUplinkComponent(BundleContext context, MqttUplinkConfig config, Map<String, Object> properties,
            @Reference ProfileDirectory directory) {
        this.context = context;
        this.config = config;
        this.directory = directory;
        this.fileName = ConfigurationFile.shown(properties).orElse(PID + " (" + properties.get("service.pid") + ")");
        this.name = name(config, properties);
        this.reopener = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fogwerk-uplink-" + name
                + "-reopen"));
        reopener.scheduleWithFixedDelay(this::reopenIfFailed, Outbox.REOPEN_SECONDS, Outbox.REOPEN_SECONDS,
                TimeUnit.SECONDS);
        String refused = null;
        try {
            Optional<String> notText = ConfigurationFile.notText(properties);
            if (notText.isPresent()) {
                throw new RefusedFile(notText.get());
            }
            settings = UplinkSettings.of(config, name, defaultNode(context));
            needed = Profiles.needed(config);
        } catch (RefusedFile e) {
            refused = e.getMessage();
        } catch (InvalidConfigurationException e) {
            refused = fileName + ": " + e.getMessage();
        }
        this.failure = refused;
    }

    /**
     * Starts the uplink once Declarative Services has put the services it looks up as it runs
     * (thing registry, write gateway, ...) in their fields, which it does after the constructor:
     * the first values the uplink takes (the latest of every tag, at once) find their things, and
     * none goes out under its connection's name instead.
     */
    @Activate
    public void activate() {
        synchronized (this) {
            if (failure == null) {
                String taken = ClientIds.take(settings, owner());
                clientIdTaken = taken == null;
                if (taken != null) {
                    failure = fileName + ": " + taken;
                }
            }
            if (failure != null) {
                inactive(UplinkState.FAILED, failure);
            } else if (needed == null) {
                start(null);
            } else {
                // a profile of its own feature: started when it is installed, stopped when it goes
                unwatch = directory.watch(needed, this::reconcile);
                reconcile();
            }
        }
    }

    /** Starts, stops or restarts the uplink after its profile came or went. */
    private synchronized void reconcile() {
        if (closed) {
            return;
        }
        UplinkProfile profile = directory.current(needed);
        if (registration != null && profile == profileInUse) {
            return;
        }
        stop();
        profileInUse = profile;
        if (profile != null) {
            start(profile);
        } else if (Profiles.known(needed)) {
            inactive(UplinkState.WAITING, Profiles.missing(needed));
        } else {
            inactive(UplinkState.FAILED, fileName + ": " + Profiles.unknown(needed).getMessage());
        }
    }

    /** Opens the outbox and connects with the plain profile ({@code null}) or an installed one. */
    private void start(UplinkProfile service) {
        MqttUplink running;
        try {
            Path outbox = outboxDir(context, name);
            EngineContext ctx = new EngineContext(settings, config,
                    outbox.getParent().resolveSibling("profile").resolve(name), listen(context), () -> shadowStore,
                    () -> thingRegistry, () -> tagBus, () -> connectorRegistry, () -> writeGateway, this::thingOf);
            Profile profile = service == null ? new PlainProfile(settings) : Profiles.open(service, ctx);
            try {
                running = new MqttUplink(settings, outbox, () -> writeGateway, this::thingOf, profile);
            } catch (Exception e) {
                profile.close();
                throw e;
            }
        } catch (InvalidConfigurationException e) {
            inactive(UplinkState.FAILED, fileName + ": " + e.getMessage());
            return;
        } catch (Exception e) {
            unopened = "cannot open the outbox: " + e;
            inactive(UplinkState.FAILED, fileName + ": " + unopened + "; tried again every " + Outbox.REOPEN_SECONDS
                    + " s");
            return;
        }
        unopened = null;
        MqttUplink.Counted previous = countedBefore != null ? countedBefore : COUNTED.remove(name);
        if (previous != null) {
            running.countOnFrom(previous);
        }
        countedBefore = null;
        uplink = running;
        Hashtable<String, Object> props = properties();
        props.putAll(listenerProperties(name));
        registration = context.registerService(new String[] {Uplink.class.getName(), TagListener.class.getName()},
                running, props);
    }

    /**
     * An outbox that could not write (the disk was full) is opened again, as a change of the file
     * would: what it holds on disk is sent, and if the disk is still full the next commit says so.
     */
    private void reopenIfFailed() {
        reopenIfFailed(TimeUnit.SECONDS.toNanos(Outbox.REOPEN_SECONDS));
    }

    /** As {@link #reopenIfFailed()}, once the outbox has failed for {@code nanos} at least. */
    synchronized void reopenIfFailed(long nanos) {
        if (closed) {
            return;
        }
        String outboxFailure = uplink != null ? uplink.outboxFailure() : unopened;
        if (outboxFailure == null || uplink != null && uplink.outboxFailedFor() < nanos) {
            return; // a full disk is not freed at once: the first try waits as long as the ones after it
        }
        LOG.info("MQTT uplink {}: opening the outbox again ({})", name, outboxFailure);
        MqttUplink.Counted counted = counted();
        UplinkProfile profile = profileInUse;
        stop();
        countedBefore = counted;
        start(profile);
    }

    /** What the uplink has counted, or what it had before its outbox could not be opened; null for nothing. */
    private MqttUplink.Counted counted() {
        return uplink != null ? uplink.counted() : countedBefore;
    }

    /** An uplink that does not run; what it counted before (an outbox that cannot be opened) stays shown. */
    private void inactive(UplinkState state, String reason) {
        if (state == UplinkState.FAILED) {
            LOG.error("MQTT uplink {} FAILED: {}", name, reason);
        } else {
            // at boot the profile's bundle may simply start after this one: not a warning
            LOG.info("MQTT uplink {} {}: {}", name, state, reason);
        }
        registration = context.registerService(Uplink.class, new InactiveUplink(name, state, reason,
                countedBefore == null ? null : countedBefore.status()), properties());
    }

    private Hashtable<String, Object> properties() {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Uplink.NAME_PROPERTY, name);
        props.put("fogwerk.protocol", "mqtt");
        props.put("fogwerk.profile", config.profile().trim());
        return props;
    }

    /** Unregisters the uplink and closes it; its outbox stays on disk for the next start. */
    private void stop() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
            registration = null;
        }
        if (uplink != null) {
            uplink.close();
            uplink = null;
        }
    }

    @Deactivate
    void deactivate() {
        Runnable u;
        synchronized (this) {
            u = unwatch;
        }
        if (u != null) {
            u.run();
        }
        synchronized (this) {
            closed = true;
            MqttUplink.Counted counted = counted();
            if (counted != null) {
                COUNTED.put(name, counted);
            }
            stop();
            if (clientIdTaken) {
                ClientIds.release(settings, owner());
                clientIdTaken = false;
            }
        }
        reopener.shutdownNow();
    }

    /** This uplink, as a refused one names it. */
    private String owner() {
        return "uplink " + name + " (" + fileName + ")";
    }

    private static Function<ShadowListener, Runnable> listen(BundleContext context) {
        return listener -> {
            if (context == null) {
                return () -> { };
            }
            ServiceRegistration<ShadowListener> reg = context.registerService(ShadowListener.class, listener, null);
            return () -> {
                try {
                    reg.unregister();
                } catch (IllegalStateException e) {
                    // gone with the bundle
                }
            };
        };
    }

    private String thingOf(String connectionId, String tag) {
        ThingRegistry registry = thingRegistry;
        if (registry != null) {
            List<ThingRegistry.Target> targets = registry.targets(connectionId, tag);
            if (!targets.isEmpty()) {
                return targets.get(0).thing();
            }
        }
        return connectionId;
    }

    /** A file refused as a whole; its message names the file already. */
    private static final class RefusedFile extends Exception {
        private static final long serialVersionUID = 1L;

        RefusedFile(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * How an uplink listens on the tag bus: a queue of 10,000 values, to which the bus adds room for
     * the initial value of every tag, so the burst of a node coming up is taken whole. It takes the
     * latest value of every tag first: values that came before it was registered (a connection
     * quicker at boot, a set point that never changes) reach it too, and a reloaded uplink sends
     * each tag's current value once more.
     */
    static Map<String, Object> listenerProperties(String uplink) {
        return Map.of(TagListener.QUEUE_CAPACITY_PROPERTY, 10_000, "component.name", listenerName(uplink),
                TagListener.REPLAY_PROPERTY, TagListener.REPLAY_LATEST);
    }

    /** The name an uplink has as a listener of the tag bus, under which the bus counts its values. */
    public static String listenerName(String uplink) {
        return BusListeners.uplink(uplink);
    }

    static String name(MqttUplinkConfig config, Map<String, Object> properties) {
        if (!config.name().trim().isEmpty()) {
            return config.name().trim();
        }
        return ConfigurationNames.instanceName(properties).orElse("default");
    }

    static String defaultNode(BundleContext context) {
        return NodeIdentity.of(context == null ? null : context::getProperty);
    }

    static Path outboxDir(BundleContext context, String name) {
        String data = context == null ? null : context.getProperty("karaf.data");
        if (data == null || data.isBlank()) {
            data = System.getProperty("karaf.data");
        }
        return Path.of(data == null || data.isBlank() ? "data" : data, "fogwerk", "outbox", name);
    }
}
