package org.fogwerk.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.fogwerk.api.ConfigurationNames;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads a configuration's instance when a file it names changes. Every key of an
 * {@code org.fogwerk.*} configuration that ends in {@code .file} ({@code tags.file},
 * {@code tls.ca.file}, {@code tls.cert.file}, {@code tls.key.file} ...) names a file; it is looked
 * at every second (modification time, size, whether it exists), and once a change has held for a
 * second (an editor may still be writing) the configuration is updated with its own properties,
 * so Declarative Services restarts that one instance, which reads the file again. A file that
 * did not exist when the instance failed is picked up when it appears. One place for every
 * component, protocol or uplink.
 */
@Component(service = ConfigurationListener.class, immediate = true)
public final class ConfigurationFileWatch implements ConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigurationFileWatch.class);
    static final String FILE_KEY_SUFFIX = ".file";

    /** What is known of a file: absent, or its modification time and size. */
    private record Stamp(boolean exists, long modified, long size) {
        static Stamp of(Path p) {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                return new Stamp(true, a.lastModifiedTime().toMillis(), a.size());
            } catch (IOException e) {
                return new Stamp(false, 0, 0);
            }
        }
    }

    /** The files of one configuration with what was last seen of them. */
    private static final class Watched {
        final String source;
        final Map<Path, Stamp> seen = new HashMap<>();
        /** A change seen at the last look, not yet reloaded: it must hold for one more look. */
        Map<Path, Stamp> pending;

        Watched(String source) {
            this.source = source;
        }
    }

    private final ConfigurationAdmin configurations;
    private final Path base;
    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService looker = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("fogwerk-config-files"));

    @Activate
    public ConfigurationFileWatch(@Reference ConfigurationAdmin configurations) {
        this(configurations, baseDir(), 1000);
    }

    /** Without OSGi (tests): relative paths resolve against {@code base}; looks every {@code periodMillis}. */
    ConfigurationFileWatch(ConfigurationAdmin configurations, Path base, long periodMillis) {
        this.configurations = configurations;
        this.base = base;
        looker.execute(this::watchAll);
        looker.scheduleWithFixedDelay(this::look, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Where the connectors resolve relative file names: the node's home folder. */
    private static Path baseDir() {
        String karafBase = System.getProperty("karaf.base");
        return Paths.get(karafBase == null || karafBase.isBlank() ? "" : karafBase).toAbsolutePath();
    }

    @Deactivate
    void deactivate() {
        looker.shutdownNow();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        if (!FogwerkConfigurations.ours(pid)) {
            return;
        }
        try {
            looker.execute(() -> {
                if (event.getType() == ConfigurationEvent.CM_DELETED) {
                    watched.remove(pid);
                } else {
                    watch(pid);
                }
            });
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    private void watchAll() {
        FogwerkConfigurations.all(configurations).forEach(this::watch);
    }

    private void watch(String pid) {
        List<Configuration> found = FogwerkConfigurations.byPid(configurations, pid);
        if (found.isEmpty()) {
            watched.remove(pid);
        }
        found.forEach(this::watch);
    }

    /** (Re)reads which files a configuration names, taking their current state as seen. */
    private void watch(Configuration c) {
        Dictionary<String, Object> props = c.getProperties();
        if (props == null) {
            watched.remove(c.getPid());
            return;
        }
        Object file = props.get(ConfigurationNames.FILE_PROPERTY);
        Watched w = new Watched(file != null ? file.toString().replaceFirst("^file:", "") : c.getPid());
        for (String key : Collections.list(props.keys())) {
            Object value = props.get(key);
            if (!key.endsWith(FILE_KEY_SUFFIX) || key.equals(ConfigurationNames.FILE_PROPERTY) || value == null
                    || value.toString().isBlank()) {
                continue;
            }
            try {
                Path p = base.resolve(value.toString().trim()).normalize();
                w.seen.put(p, Stamp.of(p));
            } catch (InvalidPathException e) {
                // the component reports the bad value itself
            }
        }
        if (w.seen.isEmpty()) {
            watched.remove(c.getPid());
        } else {
            watched.put(c.getPid(), w);
        }
    }

    private void look() {
        watched.forEach((pid, w) -> {
            Map<Path, Stamp> now = new HashMap<>();
            w.seen.keySet().forEach(p -> now.put(p, Stamp.of(p)));
            if (now.equals(w.seen)) {
                w.pending = null;
                return;
            }
            if (!now.equals(w.pending)) {
                w.pending = now; // changed since the last look: wait until it holds
                return;
            }
            w.pending = null;
            Map<Path, Stamp> before = new HashMap<>(w.seen);
            w.seen.putAll(now);
            reload(pid, w, before, now);
        });
    }

    private void reload(String pid, Watched w, Map<Path, Stamp> before, Map<Path, Stamp> now) {
        StringBuilder changed = new StringBuilder();
        now.forEach((p, s) -> {
            Stamp old = before.get(p);
            if (!Objects.equals(old, s)) {
                changed.append(changed.length() == 0 ? "" : ", ").append(p)
                        .append(!s.exists() ? " was removed" : old != null && !old.exists() ? " appeared" : " changed");
            }
        });
        try {
            for (Configuration c : FogwerkConfigurations.byPid(configurations, pid)) {
                Dictionary<String, Object> props = c.getProperties();
                if (props != null) {
                    LOG.info("{}: {}; reloading {}", w.source, changed, pid);
                    c.update(props);
                }
            }
        } catch (IOException | IllegalStateException e) {
            LOG.warn("{}: {}, but {} could not be reloaded: {}", w.source, changed, pid, e.toString());
        }
    }
}
