package org.fogwerk.support.bus;

/**
 * The names under which the tag bus counts its listeners' values ({@code component.name}), for
 * the bundles that register a listener and those that show its counters.
 */
public final class BusListeners {

    private BusListeners() {
    }

    /** The name an uplink has as a listener of the tag bus. */
    public static String uplink(String uplink) {
        return "uplink-" + uplink;
    }
}
