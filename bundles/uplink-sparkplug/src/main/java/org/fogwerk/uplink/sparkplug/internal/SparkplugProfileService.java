package org.fogwerk.uplink.sparkplug.internal;

import org.fogwerk.api.uplink.spi.ProfileConfigurationException;
import org.fogwerk.api.uplink.spi.ProfileContext;
import org.fogwerk.api.uplink.spi.ProfileSession;
import org.fogwerk.api.uplink.spi.UplinkProfile;
import org.fogwerk.support.config.InvalidConfigurationException;
import org.osgi.service.component.annotations.Component;

/** {@code profile = sparkplug}: the node as a Sparkplug B edge node, each thing a device. */
@Component(property = UplinkProfile.PROFILE_PROPERTY + "=sparkplug")
public final class SparkplugProfileService implements UplinkProfile {

    @Override
    public ProfileSession open(ProfileContext context) throws ProfileConfigurationException {
        try {
            return new SparkplugProfile(context);
        } catch (InvalidConfigurationException e) {
            throw new ProfileConfigurationException(e.key(), e.reason());
        }
    }
}
