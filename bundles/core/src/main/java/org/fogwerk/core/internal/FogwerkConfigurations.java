package org.fogwerk.core.internal;

import java.io.IOException;
import java.util.List;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The node's own configurations ({@code org.fogwerk.*}) in Configuration Admin. */
final class FogwerkConfigurations {

    private static final Logger LOG = LoggerFactory.getLogger(FogwerkConfigurations.class);

    static final String PID_PREFIX = "org.fogwerk.";

    private FogwerkConfigurations() {
    }

    static boolean ours(String pid) {
        return pid != null && pid.startsWith(PID_PREFIX);
    }

    /** Every configuration of the node; none (and a WARN) when Configuration Admin cannot list them. */
    static List<Configuration> all(ConfigurationAdmin admin) {
        return list(admin, "(service.pid=" + PID_PREFIX + "*)");
    }

    /** The configuration with this PID, if there is one. */
    static List<Configuration> byPid(ConfigurationAdmin admin, String pid) {
        return list(admin, "(service.pid=" + escape(pid) + ")");
    }

    private static List<Configuration> list(ConfigurationAdmin admin, String filter) {
        try {
            Configuration[] found = admin.listConfigurations(filter);
            return found == null ? List.of() : List.of(found);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(filter, e);
        } catch (IOException e) {
            LOG.warn("Configuration Admin cannot list {}: {}", filter, e.toString());
            return List.of();
        }
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").replace("*", "\\*");
    }
}
