package org.fogwerk.uplink.aws.internal;

import org.fogwerk.api.uplink.spi.ProfileContext;
import org.fogwerk.api.uplink.spi.ProfileSession;
import org.fogwerk.api.uplink.spi.UplinkProfile;
import org.osgi.service.component.annotations.Component;

/**
 * {@code profile = plain} with {@code shadow.topics = aws}: the engine's JSON telemetry and
 * commands, plus the AWS IoT shadow topics of the node's shadow store served on the uplink's
 * broker.
 */
@Component(property = UplinkProfile.PROFILE_PROPERTY + "=" + ShadowTopicsProfile.NAME)
public final class ShadowTopicsProfile implements UplinkProfile {

    static final String NAME = "aws-shadow-topics";

    @Override
    public ProfileSession open(ProfileContext context) {
        return session(context);
    }

    /** The local shadow topics of one uplink. */
    public static LocalShadowService session(ProfileContext c) {
        return new LocalShadowService(c.uplink(), c::shadowStore, c::writeGateway, c.maxRequestBytes(),
                c::includesThing, c::listen);
    }
}
