package org.fogwerk.api.uplink.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A profile of MQTT uplinks (AWS IoT, Sparkplug B, ...), registered as an OSGi service with the
 * property {@value #PROFILE_PROPERTY} naming it. The MQTT uplink engine opens one
 * {@link ProfileSession} per uplink whose {@code profile} key names this profile.
 */
@ConsumerType
public interface UplinkProfile {

    /** The service property naming the profile, the value of an uplink's {@code profile} key. */
    String PROFILE_PROPERTY = "fogwerk.uplink.profile";

    /**
     * The profile of one uplink. Checks the uplink's configuration and opens what must survive
     * restarts in {@link ProfileContext#dataDirectory()}; must not block on the network.
     *
     * @param context the uplink's configuration and the node's services
     * @return the profile's side of the uplink, closed when the uplink stops
     * @throws ProfileConfigurationException when a key of the configuration cannot work; the
     *                                       uplink then reports {@code FAILED} naming file and key
     */
    ProfileSession open(ProfileContext context) throws ProfileConfigurationException;
}
