/**
 * Uplinks: durable, ordered delivery of tag values to brokers and cloud platforms.
 */
@Export
@Version("1.3.0")
package org.fogwerk.api.uplink;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
