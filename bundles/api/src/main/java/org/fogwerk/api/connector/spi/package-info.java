/**
 * The service provider interface a protocol bundle implements to become a machine connector.
 */
@Export
@Version("1.1.0")
package org.fogwerk.api.connector.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
