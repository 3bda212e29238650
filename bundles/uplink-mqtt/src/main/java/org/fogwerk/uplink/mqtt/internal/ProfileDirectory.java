package org.fogwerk.uplink.mqtt.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.fogwerk.api.uplink.spi.UplinkProfile;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The installed {@link UplinkProfile} services by name, and who waits for which. When the profile
 * of a name comes or goes, its watchers hear of it (outside the directory's lock) and look again.
 */
@Component(service = ProfileDirectory.class)
public final class ProfileDirectory {

    private final Map<String, List<UplinkProfile>> profiles = new HashMap<>();
    private final Map<String, List<Runnable>> watchers = new HashMap<>();

    /** The profile of this name, the first installed when there are several; {@code null} for none. */
    public synchronized UplinkProfile current(String name) {
        List<UplinkProfile> list = profiles.get(name);
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    /**
     * Calls {@code changed} whenever the profile of {@code name} comes or goes.
     *
     * @return stops the calls
     */
    public synchronized Runnable watch(String name, Runnable changed) {
        watchers.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(changed);
        return () -> {
            synchronized (this) {
                List<Runnable> list = watchers.get(name);
                if (list != null) {
                    list.remove(changed);
                }
            }
        };
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addProfile(UplinkProfile profile, Map<String, Object> properties) {
        String name = nameOf(properties);
        if (name == null) {
            return;
        }
        synchronized (this) {
            profiles.computeIfAbsent(name, n -> new ArrayList<>()).add(profile);
        }
        changed(name);
    }

    public void removeProfile(UplinkProfile profile, Map<String, Object> properties) {
        String name = nameOf(properties);
        if (name == null) {
            return;
        }
        synchronized (this) {
            List<UplinkProfile> list = profiles.get(name);
            if (list != null) {
                list.remove(profile);
            }
        }
        changed(name);
    }

    private void changed(String name) {
        List<Runnable> list;
        synchronized (this) {
            list = watchers.get(name);
            list = list == null ? List.of() : List.copyOf(list);
        }
        for (Runnable r : list) {
            r.run();
        }
    }

    private static String nameOf(Map<String, Object> properties) {
        Object name = properties.get(UplinkProfile.PROFILE_PROPERTY);
        return name == null ? null : name.toString().trim();
    }
}
