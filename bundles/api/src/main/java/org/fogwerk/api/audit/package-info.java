/**
 * The node's audit trail: an append-only, hash-chained record of every write to a machine,
 * every desired-state change, configuration, trust and bundle change and every failed login.
 */
@Export
@Version("1.3.0")
package org.fogwerk.api.audit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
