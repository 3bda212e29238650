package org.fogwerk.uplink.mqtt.internal;

import java.util.Map;

import org.fogwerk.api.uplink.spi.ProfileConfigurationException;
import org.fogwerk.api.uplink.spi.UplinkProfile;
import org.fogwerk.support.config.InvalidConfigurationException;

/**
 * Which profile an uplink needs. The plain profile is the engine's own; the others are
 * {@link UplinkProfile} services of their own features, which the uplink waits for.
 */
final class Profiles {

    static final String PLAIN = "plain";
    /** The profile service that serves the AWS IoT shadow topics for a plain uplink ({@code shadow.topics=aws}). */
    static final String AWS_SHADOW_TOPICS = "aws-shadow-topics";

    /** The features of the profiles Fogwerk ships, by profile name. */
    private static final Map<String, String> FEATURES = Map.of("aws-iot", "fogwerk-uplink-aws", AWS_SHADOW_TOPICS,
            "fogwerk-uplink-aws", "sparkplug", "fogwerk-uplink-sparkplug");

    private Profiles() {
    }

    /** The name of the profile service the uplink needs, {@code null} for the engine's plain profile. */
    static String needed(MqttUplinkConfig config) throws InvalidConfigurationException {
        String name = config.profile().trim();
        if (!name.equals(PLAIN)) {
            return name;
        }
        String topics = config.shadow_topics().trim();
        if (topics.isEmpty()) {
            return null;
        }
        if (!topics.equals("aws")) {
            throw new InvalidConfigurationException(null, "shadow.topics", "'" + topics
                    + "' is not a kind of shadow topics (aws, or empty)");
        }
        return AWS_SHADOW_TOPICS;
    }

    /** Whether a profile service of this name ships with Fogwerk, so it is worth waiting for. */
    static boolean known(String name) {
        return FEATURES.containsKey(name);
    }

    /** Why an uplink is not a profile Fogwerk knows (and none of that name is installed). */
    static InvalidConfigurationException unknown(String name) {
        return new InvalidConfigurationException(null, "profile", "'" + name
                + "' is not a profile (plain, sparkplug, aws-iot)");
    }

    /** What an uplink waiting for its profile says, with the command that installs it. */
    static String missing(String name) {
        if (name.equals(AWS_SHADOW_TOPICS)) {
            return "shadow.topics aws needs the AWS IoT profile, not installed: feature:install " + FEATURES.get(name);
        }
        return "profile " + name + " not installed: feature:install " + FEATURES.get(name);
    }

    /** The profile's side of one uplink, as the engine uses it. */
    static Profile open(UplinkProfile profile, EngineContext context) throws InvalidConfigurationException {
        try {
            return new SpiProfile(context.settings(), profile.open(context));
        } catch (ProfileConfigurationException e) {
            throw new InvalidConfigurationException(null, e.key(), e.reason());
        }
    }
}
