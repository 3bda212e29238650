package org.fogwerk.uplink.aws.internal;

/**
 * The topics of the AWS IoT Device Shadow service: {@code $aws/things/<thing>/shadow/<op>...}
 * for the classic shadow and {@code $aws/things/<thing>/shadow/name/<shadow>/<op>...} for a
 * named one.
 */
final class ShadowTopics {

    static final String ROOT = "$aws/things/";

    /** One parsed shadow topic: {@code op} is get, update or delete; {@code reply} is empty for a request. */
    record Topic(String thing, String shadow, String op, String reply) {

        boolean request() {
            return reply.isEmpty();
        }
    }

    private ShadowTopics() {
    }

    static String prefix(String thing, String shadow) {
        return shadow.isEmpty() ? ROOT + thing + "/shadow" : ROOT + thing + "/shadow/name/" + shadow;
    }

    /** The topic, or {@code null} when it is not a shadow topic. */
    static Topic parse(String topic) {
        if (!topic.startsWith(ROOT)) {
            return null;
        }
        String[] p = topic.substring(ROOT.length()).split("/", -1);
        if (p.length < 3 || !"shadow".equals(p[1]) || p[0].isEmpty()) {
            return null;
        }
        int at = 2;
        String shadow = "";
        if ("name".equals(p[2])) {
            if (p.length < 5 || p[3].isEmpty()) {
                return null;
            }
            shadow = p[3];
            at = 4;
        }
        String op = p[at];
        if (!op.equals("get") && !op.equals("update") && !op.equals("delete")) {
            return null;
        }
        if (p.length == at + 1) {
            return new Topic(p[0], shadow, op, "");
        }
        if (p.length == at + 2) {
            return new Topic(p[0], shadow, op, p[at + 1]);
        }
        return null;
    }
}
