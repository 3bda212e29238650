package org.fogwerk.broker.internal;

import java.io.IOException;
import java.util.Dictionary;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moquette logs every MQTT packet at INFO (thousands of lines a minute on a busy node). This sets
 * that one logger to WARN in the logging configuration, the way {@code log:set} does, unless a
 * level for it is already there: {@code log:set INFO io.moquette.broker.metrics.MQTTMessageLogger}
 * shows the packets again, and stays.
 *
 * <p>Done at run time rather than by a {@code <config>} in the feature: a feature that changes
 * the logging configuration while the boot features are provisioned made Karaf stop and restart
 * the logging bundles in the middle of the boot, which hung it.
 */
@Component(immediate = true)
public final class QuietPacketLog {

    static final String LOGGING_PID = "org.ops4j.pax.logging";
    static final String NAME_KEY = "log4j2.logger.moquettepackets.name";
    static final String LEVEL_KEY = "log4j2.logger.moquettepackets.level";
    static final String PACKET_LOGGER = "io.moquette.broker.metrics.MQTTMessageLogger";

    private static final Logger LOG = LoggerFactory.getLogger(QuietPacketLog.class);

    @Activate
    public QuietPacketLog(@Reference ConfigurationAdmin configurationAdmin) {
        try {
            Configuration logging = configurationAdmin.getConfiguration(LOGGING_PID, null);
            Dictionary<String, Object> properties = logging.getProperties();
            if (properties == null || properties.get(LEVEL_KEY) != null || levelSetElsewhere(properties)) {
                return;
            }
            properties.put(NAME_KEY, PACKET_LOGGER);
            properties.put(LEVEL_KEY, "WARN");
            logging.update(properties);
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot quieten the embedded broker's per-packet log: {}", e.toString());
        }
    }

    /** A level for the packet logger under another key (say one {@code log:set} wrote). */
    private static boolean levelSetElsewhere(Dictionary<String, Object> properties) {
        for (var keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            if (key.endsWith(".name") && PACKET_LOGGER.equals(properties.get(key))) {
                return true;
            }
        }
        return false;
    }
}
