package org.fogwerk.core.internal;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Configuration Admin as the node's configuration listeners use it: configurations by PID that a
 * test sets directly, listed by {@code (service.pid=...)} filters; {@code update} calls go to the
 * test.
 */
final class FakeConfigurations {

    /** Properties by PID, as Configuration Admin holds them. */
    final Map<String, Dictionary<String, Object>> properties = new ConcurrentHashMap<>();
    /** Factory PIDs of the factory instances among them. */
    final Map<String, String> factoryPids = new ConcurrentHashMap<>();
    private final BiConsumer<String, Dictionary<String, Object>> updated;

    FakeConfigurations(BiConsumer<String, Dictionary<String, Object>> updated) {
        this.updated = updated;
    }

    ConfigurationAdmin admin() {
        return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("listConfigurations")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    String filter = (String) args[0];
                    return properties.keySet().stream()
                            .filter(pid -> filter.endsWith("*)") || filter.equals("(service.pid=" + pid + ")"))
                            .map(this::configuration).toArray(Configuration[]::new);
                });
    }

    private Configuration configuration(String pid) {
        return (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Configuration.class},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getPid": return pid;
                        case "getFactoryPid": return factoryPids.get(pid);
                        case "getProperties": return properties.get(pid);
                        case "update":
                            @SuppressWarnings("unchecked")
                            Dictionary<String, Object> d = args == null ? null : (Dictionary<String, Object>) args[0];
                            updated.accept(pid, d);
                            return null;
                        default: throw new UnsupportedOperationException(method.getName());
                    }
                });
    }
}
