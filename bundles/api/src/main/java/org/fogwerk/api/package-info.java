/**
 * The Fogwerk data model: typed tag values with quality and timestamps, and tag definitions.
 */
@Export
@Version("1.6.0")
package org.fogwerk.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
