/**
 * Alarm events: the changes of alarm state that the node's routing rules raise and clear, kept
 * for the REST API, the event stream and the console.
 */
@Export
@Version("1.0.0")
package org.fogwerk.api.alarm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
