package org.fogwerk.uplink.mqtt.internal;

/** Creates the profile named by an uplink's {@code profile} key. */
final class Profiles {

    static final String PLAIN = "plain";

    private Profiles() {
    }

    static Profile create(ProfileContext context) throws ConfigException {
        String name = context.config().profile().trim();
        switch (name) {
            case PLAIN:
                return PlainProfile.plain(context);
            case "aws-iot":
                return PlainProfile.awsIot(context);
            case "sparkplug":
                return new org.fogwerk.uplink.mqtt.internal.sparkplug.SparkplugProfile(context);
            default:
                throw new ConfigException("profile", "'" + name + "' is not a profile (plain, sparkplug, aws-iot)");
        }
    }
}
