package org.fogwerk.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

import org.fogwerk.api.ConfigurationNames;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.fogwerk.support.config.ConfigurationFile;
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
 * The not-text rule for the node's singleton configurations ({@code org.fogwerk.things},
 * {@code org.fogwerk.security.writes}, {@code org.fogwerk.audit}, {@code org.fogwerk.web},
 * {@code org.fogwerk.shadow}, ...), in one place for all of them. Factory instances (connections,
 * uplinks, things) refuse such a file themselves and report {@code FAILED}; a singleton has no
 * instance to fail, and from a file of binary garbage FileInstall makes meaningless keys, so the
 * component would run on its defaults (a write policy on defaults, an audit trail in the default
 * folder).
 *
 * <p>So a singleton file that is not text is refused: one ERROR line names the file and the first
 * bad byte; the file is copied aside as {@code <file>.refused-<time>} and the file as it was
 * before is written back, its comments and {@code ${...}} placeholders as they were, which
 * FileInstall then reads again (where that text is not known, the configuration the component had
 * before is put back, and FileInstall writes it to the file). When the node
 * started with the file already broken there is nothing to put back: the ERROR line says the
 * component runs on its defaults until the file is fixed.
 */
@Component(service = ConfigurationListener.class, immediate = true)
public final class NotTextConfigurationGuard implements ConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(NotTextConfigurationGuard.class);

    private final ConfigurationAdmin configurations;
    /** The last properties of each singleton PID that came from a text file. */
    private final Map<String, Dictionary<String, Object>> lastGood = new ConcurrentHashMap<>();
    /** The text of each singleton PID's last file that was text, as the user wrote it. */
    private final Map<String, byte[]> lastGoodText = new ConcurrentHashMap<>();
    private final ExecutorService checks = Executors.newSingleThreadExecutor(
            DaemonThreads.named("fogwerk-config-text"));

    @Activate
    public NotTextConfigurationGuard(@Reference ConfigurationAdmin configurations) {
        this(configurations, true);
    }

    /** Without OSGi (tests): with {@code scanNow} false nothing is looked at before {@link #check}. */
    NotTextConfigurationGuard(ConfigurationAdmin configurations, boolean scanNow) {
        this.configurations = configurations;
        if (scanNow) {
            submit(() -> FogwerkConfigurations.all(configurations).forEach(this::check));
        }
    }

    @Deactivate
    void deactivate() {
        checks.shutdownNow();
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (event.getFactoryPid() != null || !FogwerkConfigurations.ours(event.getPid())) {
            return;
        }
        if (event.getType() == ConfigurationEvent.CM_DELETED) {
            lastGood.remove(event.getPid());
        } else if (event.getType() == ConfigurationEvent.CM_UPDATED) {
            submit(() -> check(event.getPid()));
        }
    }

    private void submit(Runnable check) {
        try {
            checks.execute(check);
        } catch (RejectedExecutionException e) {
            // stopping
        }
    }

    /** Looks at the singleton configuration {@code pid} as it is now; for the listener and tests. */
    synchronized void check(String pid) {
        FogwerkConfigurations.byPid(configurations, pid).forEach(this::check);
    }

    private synchronized void check(Configuration c) {
        Dictionary<String, Object> props = c.getProperties();
        if (c.getFactoryPid() != null || props == null) {
            return;
        }
        Map<String, Object> source = Collections.singletonMap(ConfigurationNames.FILE_PROPERTY,
                props.get(ConfigurationNames.FILE_PROPERTY));
        Optional<String> refusal = ConfigurationFile.notText(source);
        if (refusal.isEmpty()) {
            lastGood.put(c.getPid(), copy(props));
            ConfigurationFile.of(source).ifPresent(file -> {
                try {
                    lastGoodText.put(c.getPid(), Files.readAllBytes(file));
                } catch (IOException e) {
                    lastGoodText.remove(c.getPid());
                }
            });
            return;
        }
        Dictionary<String, Object> good = lastGood.get(c.getPid());
        if (good == null) {
            LOG.error("Configuration {} refused: {}; the node started with it so, there is no earlier configuration to"
                    + " keep: its component runs on its defaults until the file is fixed", c.getPid(), refusal.get());
            return;
        }
        if (same(props, good)) {
            return; // put back already; FileInstall has not written it to the file yet
        }
        Path file = ConfigurationFile.of(source).orElseThrow();
        String aside = setAside(file);
        byte[] text = lastGoodText.get(c.getPid());
        if (text != null && ConfigurationFile.notText(file.toString(), text).isEmpty()) {
            try {
                Path next = file.resolveSibling("." + file.getFileName() + ".restoring");
                Files.write(next, text);
                Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                LOG.error("Configuration {} refused: {}; the file it had before is written back (FileInstall reads it"
                        + " again); the refused file is kept as {}", c.getPid(), refusal.get(), aside);
                return;
            } catch (IOException e) {
                LOG.warn("Configuration {}: the file before could not be written back ({}); its configuration is put"
                        + " back instead", c.getPid(), e.toString());
            }
        }
        try {
            c.update(copy(good));
            LOG.error("Configuration {} refused: {}; the configuration it had before is kept (and written back to the"
                    + " file); the refused file is kept as {}", c.getPid(), refusal.get(), aside);
        } catch (IOException | RuntimeException e) {
            LOG.error("Configuration {} refused: {}; the configuration it had before could not be put back ({}); the"
                    + " refused file is kept as {}", c.getPid(), refusal.get(), e.toString(), aside);
        }
    }

    private static String setAside(Path file) {
        Path aside = file.resolveSibling(file.getFileName() + ".refused-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        try {
            Files.copy(file, aside, StandardCopyOption.REPLACE_EXISTING);
            return aside.toString();
        } catch (IOException e) {
            return "nowhere (" + e + ")";
        }
    }

    private static boolean same(Dictionary<String, Object> a, Dictionary<String, Object> b) {
        if (a.size() != b.size()) {
            return false;
        }
        return Collections.list(a.keys()).stream().allMatch(k -> Objects.deepEquals(a.get(k), b.get(k)));
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> props) {
        Hashtable<String, Object> copy = new Hashtable<>();
        Collections.list(props.keys()).forEach(k -> copy.put(k, props.get(k)));
        return copy;
    }
}
