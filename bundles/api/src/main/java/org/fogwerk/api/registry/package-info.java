/**
 * The thing registry: the machines and assets the node knows, their types and attributes,
 * and which connector tags feed which fields of their shadows.
 */
@Export
@Version("1.2.0")
package org.fogwerk.api.registry;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
