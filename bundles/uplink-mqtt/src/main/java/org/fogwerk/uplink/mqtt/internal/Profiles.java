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
                return new PlainProfile(context.settings());
            default:
                throw new ConfigException("profile", "'" + name + "' is not a profile (plain)");
        }
    }
}
