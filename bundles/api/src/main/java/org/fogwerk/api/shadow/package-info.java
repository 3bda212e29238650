/**
 * The device shadow store: reported and desired state per thing, with the semantics of the AWS IoT Device Shadow service.
 */
@Export
@Version("1.3.0")
package org.fogwerk.api.shadow;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
