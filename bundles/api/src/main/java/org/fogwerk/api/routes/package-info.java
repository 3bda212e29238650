/**
 * Routing rules as the node runs them: every route and every route file, with state, counters
 * and the newest error (file and line), for the shell, the REST API, metrics and health.
 */
@Export
@Version("1.0.0")
package org.fogwerk.api.routes;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
