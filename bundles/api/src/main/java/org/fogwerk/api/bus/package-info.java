/**
 * The in-process tag bus: listeners receive every accepted tag value; the bus reports its counters and latest values.
 */
@Export
@Version("1.3.0")
package org.fogwerk.api.bus;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
