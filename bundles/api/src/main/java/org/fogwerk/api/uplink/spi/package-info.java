/**
 * The service provider interface of MQTT uplink profiles. The MQTT uplink engine keeps the
 * durable outbox, the session with the broker, the in-flight window, reconnects and the status;
 * a profile, registered as an {@link org.fogwerk.api.uplink.spi.UplinkProfile} service with the
 * property {@value org.fogwerk.api.uplink.spi.UplinkProfile#PROFILE_PROPERTY}, decides topics,
 * payloads, QoS, retain, the will, what to do with incoming messages and what it needs at
 * connect. An uplink names its profile with its {@code profile} key and waits until a profile of
 * that name is installed.
 */
@Export
@Version("1.1.0")
package org.fogwerk.api.uplink.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
