/**
 * Write authority: who may write to which machine, thing and field, through which entry point.
 * Every entry point (shell, REST, routes, MQTT command topic, {@code $aws} topics, cloud shadow
 * sync, Sparkplug commands) writes through {@link org.fogwerk.api.authority.WriteGateway}, which
 * checks role and write policy before anything is accepted and audits the request either way.
 */
@Export
@Version("1.4.0")
package org.fogwerk.api.authority;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
