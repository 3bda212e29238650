package org.fogwerk.audit.internal;

import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditTrail;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.SynchronousConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records every configuration created, changed or deleted: the PID and the names of the keys added,
 * changed and removed. Values never reach the trail (a key may hold a password); to tell a changed
 * value, only a digest of each value is kept, in memory. Synchronous, so a change made from a shell
 * session ({@code config:edit}) is recorded with its user.
 */
@Component(service = SynchronousConfigurationListener.class, immediate = true)
public final class ConfigAuditor implements SynchronousConfigurationListener {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigAuditor.class);
    /** Bookkeeping of Configuration Admin and FileInstall, not settings. */
    static final Set<String> BOOKKEEPING = Set.of("service.pid", "service.factoryPid", "felix.fileinstall.filename",
            "service.bundleLocation");

    private final AuditTrail trail;
    private final ConfigurationAdmin admin;
    /** PID -> key -> digest of its value. */
    private final Map<String, Map<String, String>> seen = new ConcurrentHashMap<>();

    @Activate
    public ConfigAuditor(@Reference AuditTrail trail, @Reference ConfigurationAdmin admin) {
        this.trail = trail;
        this.admin = admin;
        try {
            Configuration[] all = admin.listConfigurations(null);
            if (all != null) {
                for (Configuration c : all) {
                    seen.put(c.getPid(), digests(c.getProperties()));
                }
            }
        } catch (Exception e) {
            LOG.warn("Audit: cannot list configurations; the first change of each is recorded as created: {}",
                    e.toString());
        }
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        String pid = event.getPid();
        if (event.getType() == ConfigurationEvent.CM_DELETED) {
            Map<String, String> before = seen.remove(pid);
            record(pid, "deleted", "", before == null ? "" : keys("removed", new ArrayList<>(before.keySet())));
        } else if (event.getType() == ConfigurationEvent.CM_UPDATED) {
            Dictionary<String, Object> props = properties(pid);
            if (props == null) {
                return;
            }
            Map<String, String> now = digests(props);
            Map<String, String> before = seen.put(pid, now);
            String file = fileName(props.get("felix.fileinstall.filename"));
            if (before == null) {
                record(pid, "created", file, keys("keys", new ArrayList<>(now.keySet())));
                return;
            }
            String diff = diff(before, now);
            if (!diff.isEmpty()) {
                record(pid, "changed", file, diff);
            }
        }
    }

    /** {@code added: a, b; changed: c; removed: d}, or empty when nothing changed. */
    static String diff(Map<String, String> before, Map<String, String> now) {
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Map.Entry<String, String> e : now.entrySet()) {
            String old = before.get(e.getKey());
            if (old == null) {
                added.add(e.getKey());
            } else if (!old.equals(e.getValue())) {
                changed.add(e.getKey());
            }
        }
        for (String key : before.keySet()) {
            if (!now.containsKey(key)) {
                removed.add(key);
            }
        }
        List<String> parts = new ArrayList<>(3);
        if (!added.isEmpty()) {
            parts.add(keys("added", added));
        }
        if (!changed.isEmpty()) {
            parts.add(keys("changed", changed));
        }
        if (!removed.isEmpty()) {
            parts.add(keys("removed", removed));
        }
        return String.join("; ", parts);
    }

    private static String keys(String label, List<String> keys) {
        Collections.sort(keys);
        return label + ": " + String.join(", ", keys);
    }

    private void record(String pid, String outcome, String file, String keys) {
        String detail = file.isEmpty() ? keys : keys.isEmpty() ? "file " + file : keys + "; file " + file;
        Records.append(trail, new AuditEvent(AuditEvent.KIND_CONFIG, "config", Subjects.currentUser(), "", pid, "",
                outcome, detail));
    }

    private Dictionary<String, Object> properties(String pid) {
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + escape(pid) + ")");
            return found == null || found.length == 0 ? null : found[0].getProperties();
        } catch (InvalidSyntaxException | java.io.IOException e) {
            LOG.warn("Audit: cannot read configuration {}: {}", pid, e.toString());
            return null;
        }
    }

    private static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '(' || c == ')' || c == '*') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static String fileName(Object fileInstallUrl) {
        if (fileInstallUrl == null) {
            return "";
        }
        String s = fileInstallUrl.toString();
        return s.substring(s.lastIndexOf('/') + 1);
    }

    /** Key -> SHA-256 of its value, sorted by key, bookkeeping keys left out. */
    static Map<String, String> digests(Dictionary<String, ?> props) {
        Map<String, String> out = new TreeMap<>();
        if (props == null) {
            return out;
        }
        MessageDigest sha = EntryLines.sha256();
        for (Enumeration<String> keys = props.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (BOOKKEEPING.contains(key)) {
                continue;
            }
            byte[] digest = sha.digest(text(props.get(key)).getBytes(StandardCharsets.UTF_8));
            out.put(key, java.util.HexFormat.of().formatHex(digest));
        }
        return out;
    }

    private static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value.getClass().isArray()) {
            StringBuilder b = new StringBuilder(value.getClass().getComponentType().getName()).append('[');
            for (int i = 0; i < Array.getLength(value); i++) {
                b.append(text(Array.get(value, i))).append('\u0000');
            }
            return b.append(']').toString();
        }
        return value.getClass().getName() + ':' + value;
    }
}
