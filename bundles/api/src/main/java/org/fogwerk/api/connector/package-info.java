/**
 * What consumers of machine connections use: the registry of connections, their status, reads,
 * writes, browsing and method calls.
 */
@Export
@Version("1.3.0")
package org.fogwerk.api.connector;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
