package org.fogwerk.audit.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.security.PrivilegedAction;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.security.auth.Subject;

import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeatureEvent;
import org.apache.karaf.features.Repository;
import org.apache.karaf.features.RepositoryEvent;
import org.fogwerk.api.audit.AuditEntry;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.event.Event;

/** The node's own events reach the trail: configuration, bundles, features, failed logins. */
class ListenersTest {

    @TempDir
    Path dir;
    private AuditLog trail;

    @BeforeEach
    void open() {
        trail = Trails.open(dir);
    }

    @AfterEach
    void close() {
        trail.close();
    }

    /** What a proxy answers to a call, worked out from the call's arguments. */
    @FunctionalInterface
    private interface Answer {
        Object to(Object[] args);
    }

    /** A {@code type} answering its methods by name from {@code answers}: values, or {@link Answer}s. */
    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Map<String, Object> answers) {
        return (T) Proxy.newProxyInstance(ListenersTest.class.getClassLoader(), new Class<?>[] {type},
                (p, m, args) -> {
                    if (answers.containsKey(m.getName())) {
                        Object answer = answers.get(m.getName());
                        return answer instanceof Answer ? ((Answer) answer).to(args) : answer;
                    }
                    if (m.getName().equals("toString")) {
                        return type.getSimpleName();
                    }
                    throw new UnsupportedOperationException(type.getSimpleName() + "." + m.getName());
                });
    }

    /** Configuration Admin holding its configurations in a map, as far as the auditor asks it. */
    private static final class Configurations {
        final Map<String, Hashtable<String, Object>> byPid = new ConcurrentHashMap<>();

        Configuration configuration(String pid) {
            return proxy(Configuration.class, Map.of("getPid", pid, "getProperties", new Hashtable<>(byPid.get(pid))));
        }

        ConfigurationAdmin admin() {
            return proxy(ConfigurationAdmin.class,
                    Map.of("listConfigurations", (Answer) args -> list((String) args[0])));
        }

        private Configuration[] list(String filter) {
            if (filter == null) {
                return byPid.keySet().stream().map(this::configuration).toArray(Configuration[]::new);
            }
            String pid = filter.substring("(service.pid=".length(), filter.length() - 1);
            return byPid.containsKey(pid) ? new Configuration[] {configuration(pid)} : null;
        }
    }

    private static ConfigurationEvent configEvent(int type, String pid) {
        ServiceReference<ConfigurationAdmin> ref = proxy(ServiceReference.class, Map.of());
        return new ConfigurationEvent(ref, type, null, pid);
    }

    private List<AuditEntry> awaitEntries(String kind, int count) {
        AuditQuery q = new AuditQuery(null, null, null, null, kind, 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> trail.query(q).size() >= count);
        List<AuditEntry> found = trail.query(q);
        assertEquals(count, found.size(), found.toString());
        return found;
    }

    private static <T> T as(String user, PrivilegedAction<T> action) {
        Subject s = new Subject(false, Set.of(new UserPrincipal(user)), Set.of(), Set.of());
        return Subject.doAs(s, action);
    }

    @Test
    void configurationChangesAreRecordedByKeyNeverByValue() throws Exception {
        Configurations cm = new Configurations();
        Hashtable<String, Object> existing = new Hashtable<>();
        existing.put("host", "10.0.0.1");
        existing.put("service.pid", "org.fogwerk.known");
        cm.byPid.put("org.fogwerk.known", existing);
        ConfigAuditor auditor = new ConfigAuditor(trail, cm.admin());

        Hashtable<String, Object> uplink = new Hashtable<>();
        uplink.put("service.pid", "org.fogwerk.uplink.mqtt.abc");
        uplink.put("service.factoryPid", "org.fogwerk.uplink.mqtt");
        uplink.put("felix.fileinstall.filename", "file:/opt/fogwerk/etc/org.fogwerk.uplink.mqtt-cloud.cfg");
        uplink.put("broker.url", "ssl://broker.example:8883");
        uplink.put("broker.password", "Sup3r-Secret-Value");
        cm.byPid.put("org.fogwerk.uplink.mqtt.abc", uplink);
        auditor.configurationEvent(configEvent(ConfigurationEvent.CM_UPDATED, "org.fogwerk.uplink.mqtt.abc"));

        uplink.put("broker.password", "An0ther-Secret-Value");
        uplink.put("topic", "plant/line2");
        uplink.remove("broker.url");
        as("alice", () -> {
            auditor.configurationEvent(configEvent(ConfigurationEvent.CM_UPDATED, "org.fogwerk.uplink.mqtt.abc"));
            return null;
        });
        // the same values again (FileInstall touching the file): nothing changed, nothing recorded
        auditor.configurationEvent(configEvent(ConfigurationEvent.CM_UPDATED, "org.fogwerk.uplink.mqtt.abc"));
        existing.put("host", "10.0.0.2");
        auditor.configurationEvent(configEvent(ConfigurationEvent.CM_UPDATED, "org.fogwerk.known"));
        cm.byPid.remove("org.fogwerk.uplink.mqtt.abc");
        auditor.configurationEvent(configEvent(ConfigurationEvent.CM_DELETED, "org.fogwerk.uplink.mqtt.abc"));

        List<AuditEntry> entries = awaitEntries(AuditEvent.KIND_CONFIG, 4);
        assertEvent(entries.get(0), "config", "", "org.fogwerk.uplink.mqtt.abc", "created",
                "keys: broker.password, broker.url; file org.fogwerk.uplink.mqtt-cloud.cfg");
        assertEvent(entries.get(1), "config", "alice", "org.fogwerk.uplink.mqtt.abc", "changed",
                "added: topic; changed: broker.password; removed: broker.url; file org.fogwerk.uplink.mqtt-cloud.cfg");
        assertEvent(entries.get(2), "config", "", "org.fogwerk.known", "changed", "changed: host");
        assertEvent(entries.get(3), "config", "", "org.fogwerk.uplink.mqtt.abc", "deleted",
                "removed: broker.password, topic");

        String everything = Trails.allText(dir);
        assertTrue(everything.contains("broker.password"), "the key is named");
        for (String value : List.of("Sup3r-Secret-Value", "An0ther-Secret-Value", "plant/line2", "10.0.0.2",
                "ssl://broker.example")) {
            assertFalse(everything.contains(value), "no value is ever written: " + value);
        }
        assertFalse(everything.contains("felix.fileinstall.filename") || everything.contains("service.factoryPid"),
                "bookkeeping keys are left out");
    }

    private static void assertEvent(AuditEntry e, String source, String identity, String target, String outcome,
            String detail) {
        assertEquals(source, e.event().source(), e.toString());
        assertEquals(identity, e.event().identity(), e.toString());
        assertEquals(target, e.event().target(), e.toString());
        assertEquals(outcome, e.event().outcome(), e.toString());
        assertEquals(detail, e.event().detail(), e.toString());
        assertEquals("", e.event().value(), "no value: " + e);
    }

    @Test
    void bundlesInstalledUpdatedAndUninstalledAreRecorded() {
        BundleContext context = proxy(BundleContext.class, new java.util.HashMap<>(Map.of()) {
            {
                put("addBundleListener", null);
                put("removeBundleListener", null);
            }
        });
        BundleAuditor auditor = new BundleAuditor(trail, context);
        Bundle bundle = proxy(Bundle.class, Map.of("getSymbolicName", "com.example.driver", "getVersion",
                new Version(1, 2, 3), "getBundleId", 77L, "getLocation", "mvn:com.example/driver/1.2.3"));
        as("bob", () -> {
            auditor.bundleChanged(new BundleEvent(BundleEvent.INSTALLED, bundle));
            return null;
        });
        auditor.bundleChanged(new BundleEvent(BundleEvent.STARTED, bundle));
        auditor.bundleChanged(new BundleEvent(BundleEvent.UPDATED, bundle));
        auditor.bundleChanged(new BundleEvent(BundleEvent.UNINSTALLED, bundle));
        auditor.deactivate();

        List<AuditEntry> entries = awaitEntries(AuditEvent.KIND_BUNDLE, 3);
        String detail = "id 77, mvn:com.example/driver/1.2.3";
        assertEvent(entries.get(0), "framework", "bob", "com.example.driver 1.2.3", "installed", detail);
        assertEvent(entries.get(1), "framework", "", "com.example.driver 1.2.3", "updated", detail);
        assertEvent(entries.get(2), "framework", "", "com.example.driver 1.2.3", "uninstalled", detail);
    }

    @Test
    void featuresInstalledAndUninstalledAreRecordedButNotTheReplay() throws Exception {
        FeatureAuditor auditor = new FeatureAuditor(trail);
        Feature feature = proxy(Feature.class, Map.of("getName", "fogwerk-audit", "getVersion", "0.1.0"));
        auditor.featureEvent(new FeatureEvent(FeatureEvent.EventType.FeatureInstalled, feature, "root", true));
        auditor.featureEvent(new FeatureEvent(FeatureEvent.EventType.FeatureInstalled, feature, "root", false));
        auditor.featureEvent(new FeatureEvent(FeatureEvent.EventType.FeatureUninstalled, feature, "root", false));
        Repository repo = proxy(Repository.class, Map.of("getURI", new java.net.URI("mvn:com.example/f/1/xml/features")));
        auditor.repositoryEvent(new RepositoryEvent(repo, RepositoryEvent.EventType.RepositoryAdded, false));

        List<AuditEntry> entries = awaitEntries(AuditEvent.KIND_FEATURE, 3);
        assertEvent(entries.get(0), "framework", "", "fogwerk-audit 0.1.0", "installed", "");
        assertEvent(entries.get(1), "framework", "", "fogwerk-audit 0.1.0", "uninstalled", "");
        assertEvent(entries.get(2), "framework", "", "mvn:com.example/f/1/xml/features", "repository added", "");
    }

    @Test
    void failedLoginsAreRecordedWithUserAndClient() {
        LoginAuditor auditor = new LoginAuditor(trail, false);
        Subject subject = new Subject(false, Set.of(new ClientPrincipal("ssh(/192.168.7.21:50412)")), Set.of(),
                Set.of());
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("type", "failure");
        props.put("username", "mallory");
        props.put("subject", subject);
        props.put("timestamp", System.currentTimeMillis());
        auditor.handleEvent(new Event(LoginAuditor.TOPIC, props));

        List<AuditEntry> entries = awaitEntries(AuditEvent.KIND_LOGIN, 1);
        assertEvent(entries.get(0), "jaas", "mallory", "", "failed", "client ssh(/192.168.7.21:50412)");
    }
    @Test
    void aFloodOfFailedLoginsIsNoFloodInTheTrail() {
        LoginAuditor auditor = new LoginAuditor(trail, false);
        for (int i = 0; i < 300; i++) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("username", "nobody" + i);
            auditor.handleEvent(new Event(LoginAuditor.TOPIC, props));
        }
        auditor.endMinute();
        List<AuditEntry> entries = awaitEntries(AuditEvent.KIND_LOGIN, LoginAuditor.PER_MINUTE + 1);
        assertEquals("nobody0", entries.get(0).event().identity());
        String summary = entries.get(LoginAuditor.PER_MINUTE).event().detail();
        assertTrue(summary.startsWith("280 more failed logins in the minute, beyond 20 recorded one by one; users: nobody20,"
                + " nobody21"), summary);
        assertTrue(summary.endsWith("nobody29, ..."), summary);

        // the next minute records one by one again
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("username", "mallory");
        auditor.handleEvent(new Event(LoginAuditor.TOPIC, props));
        assertEquals("mallory", awaitEntries(AuditEvent.KIND_LOGIN, LoginAuditor.PER_MINUTE + 2)
                .get(LoginAuditor.PER_MINUTE + 1).event().identity());
    }
}
