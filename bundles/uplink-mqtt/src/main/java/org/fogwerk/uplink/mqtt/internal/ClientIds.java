package org.fogwerk.uplink.mqtt.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The client ids the node's uplinks use on each broker. A broker lets one client with an id be
 * connected at a time and throws the older off when another comes, so two uplinks of one node
 * with the same id on the same broker would throw each other off for ever (a Sparkplug uplink
 * copied with its {@code sparkplug.edge.node.id}, an uplink copied with its {@code client.id}).
 * The first takes the id; the second is refused with a reason naming the first.
 */
final class ClientIds {

    /** {@code clientId} + broker URL -> the uplink that uses it. */
    private static final Map<String, String> TAKEN = new HashMap<>();

    private ClientIds() {
    }

    /** Takes the settings' client id on each of their brokers for {@code owner}; why not, or null. */
    static synchronized String take(UplinkSettings s, String owner) {
        for (String url : s.brokerUrls) {
            String other = TAKEN.get(key(s.clientId, url));
            if (other != null && !other.equals(owner)) {
                return "client id '" + s.clientId + "' on " + url + " is already used by " + other
                        + ": a broker lets one client with an id connect at a time, so the two would throw each other"
                        + " off; give this uplink its own client.id (or sparkplug.edge.node.id)";
            }
        }
        for (String url : s.brokerUrls) {
            TAKEN.put(key(s.clientId, url), owner);
        }
        return null;
    }

    /** Gives the ids {@code owner} took back. */
    static synchronized void release(UplinkSettings s, String owner) {
        for (String url : s.brokerUrls) {
            TAKEN.remove(key(s.clientId, url), owner);
        }
    }

    private static String key(String clientId, String url) {
        return clientId + "\n" + url.toLowerCase(java.util.Locale.ROOT);
    }
}
