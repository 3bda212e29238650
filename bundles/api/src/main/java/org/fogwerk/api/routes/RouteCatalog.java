package org.fogwerk.api.routes;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Every route of the node's Camel context and every route file, registered as an OSGi service
 * by the bundle that runs the routing rules.
 */
@ProviderType
public interface RouteCatalog {

    /** One entry per route, plus one per route file that holds no running route; sorted by origin. */
    List<RouteInfo> routes();
}
