/**
 * Simulated machines built into the node for demonstrations and tests.
 */
@Export
@Version("1.0.0")
package org.fogwerk.api.simulator;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
