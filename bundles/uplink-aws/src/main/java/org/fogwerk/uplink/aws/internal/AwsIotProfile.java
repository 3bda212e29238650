package org.fogwerk.uplink.aws.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.ConfigurationNames;
import org.fogwerk.api.uplink.spi.ProfileConfigurationException;
import org.fogwerk.api.uplink.spi.ProfileContext;
import org.fogwerk.api.uplink.spi.ProfileSession;
import org.fogwerk.api.uplink.spi.UplinkProfile;
import org.fogwerk.support.config.InvalidConfigurationException;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code profile = aws-iot}: the engine's JSON telemetry on {@code topic.template}, plus the
 * synchronisation of shadows with AWS IoT Core over the cloud's shadow topics. It takes no
 * commands on {@code command.topic}: desired state comes through the shadow.
 */
@Component(property = UplinkProfile.PROFILE_PROPERTY + "=" + AwsIotProfile.NAME)
public final class AwsIotProfile implements UplinkProfile {

    static final String NAME = "aws-iot";
    private static final Logger LOG = LoggerFactory.getLogger(AwsIotProfile.class);

    @Override
    public ProfileSession open(ProfileContext context) throws ProfileConfigurationException {
        try {
            return session(context);
        } catch (InvalidConfigurationException e) {
            throw new ProfileConfigurationException(e.key(), e.reason());
        }
    }

    /** The cloud shadow sync of one uplink, its configuration checked. */
    public static CloudShadowSync session(ProfileContext c) throws InvalidConfigurationException {
        Map<String, Object> config = c.configuration();
        if (!text(config, "shadow.topics").isEmpty()) {
            throw new InvalidConfigurationException(null, "shadow.topics",
                    "not with profile aws-iot: the cloud serves the shadow topics");
        }
        String thing = text(config, "aws.thing.name");
        if (thing.isEmpty()) {
            throw new InvalidConfigurationException(null, "aws.thing.name",
                    "profile aws-iot needs the thing name of the certificate");
        }
        checkName("aws.thing.name", thing, 128);
        String directionKey = String.valueOf(config.get("aws.sync.direction"));
        CloudShadowSync.Direction direction = CloudShadowSync.Direction.of(directionKey.trim());
        if (direction == null) {
            throw new InvalidConfigurationException(null, "aws.sync.direction", "'" + directionKey
                    + "' is not both, device-to-cloud or cloud-to-device");
        }
        int replyTimeout = ((Number) config.get("aws.reply.timeout.ms")).intValue();
        if (replyTimeout < 100 || replyTimeout > 600_000) {
            throw new InvalidConfigurationException(null, "aws.reply.timeout.ms", replyTimeout
                    + " is outside 100..600000");
        }
        if (!c.tls()) {
            LOG.warn("Uplink {}: profile aws-iot without an ssl:// broker URL; AWS IoT Core accepts only TLS",
                    c.uplink());
        }
        List<CloudShadowSync.Target> targets = targets(text(config, "aws.shadows"), thing);
        try {
            return new CloudShadowSync(c.uplink(), targets, direction, c::shadowStore, c::writeGateway,
                    c.dataDirectory(), replyTimeout, c::listen);
        } catch (IOException | RuntimeException e) {
            throw new InvalidConfigurationException(null, "aws.shadows", "cannot open the sync book in "
                    + c.dataDirectory() + ": " + e);
        }
    }

    /** {@code thing[:shadow],...}; empty: the classic shadow of the uplink's thing. */
    static List<CloudShadowSync.Target> targets(String value, String thing) throws InvalidConfigurationException {
        List<CloudShadowSync.Target> targets = new ArrayList<>();
        for (String raw : value.split(",")) {
            String item = raw.trim();
            if (item.isEmpty()) {
                continue;
            }
            int colon = item.indexOf(':');
            String t = colon < 0 ? item : item.substring(0, colon).trim();
            String shadow = colon < 0 ? "" : item.substring(colon + 1).trim();
            checkName("aws.shadows", t, 128);
            if (!shadow.isEmpty()) {
                checkName("aws.shadows", shadow, 64);
            }
            CloudShadowSync.Target target = new CloudShadowSync.Target(t, shadow);
            if (targets.contains(target)) {
                throw new InvalidConfigurationException(null, "aws.shadows", "'" + item + "' is listed twice");
            }
            targets.add(target);
        }
        if (targets.isEmpty()) {
            targets.add(new CloudShadowSync.Target(thing, ""));
        }
        return targets;
    }

    /** Thing and shadow names (a ':' in a thing name needs the shadow given too). */
    private static void checkName(String key, String name, int max) throws InvalidConfigurationException {
        String problem = ConfigurationNames.checkName(name, max);
        if (problem != null) {
            throw new InvalidConfigurationException(null, key, problem);
        }
    }

    static String text(Map<String, Object> config, String key) {
        Object v = config.get(key);
        return v == null ? "" : v.toString().trim();
    }
}
