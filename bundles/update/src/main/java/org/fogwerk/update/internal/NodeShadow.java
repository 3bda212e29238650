package org.fogwerk.update.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fogwerk.api.shadow.ShadowDocument;

/**
 * Reads the node's shadow: which features desired state asks for, which ones an update just
 * removed from it ({@code null}), and the failed update the node already tried for a version.
 */
final class NodeShadow {

    static final String FEATURES = "features";
    static final String UPDATES = "updates";

    private NodeShadow() {
    }

    /** The desired feature versions, in the order the document holds them. */
    static Map<String, String> desiredFeatures(ShadowDocument doc) {
        Map<String, String> result = new LinkedHashMap<>();
        if (doc == null || !(doc.desired().get(FEATURES) instanceof Map<?, ?> features)) {
            return result;
        }
        features.forEach((k, v) -> {
            if (v instanceof String version) {
                result.put(String.valueOf(k), version);
            }
        });
        return result;
    }

    /**
     * The installed Fogwerk features, each spelt as desired state spells the same version, so
     * {@code 1.2.0-SNAPSHOT} asked for and {@code 1.2.0.SNAPSHOT} installed leave no delta.
     */
    static Map<String, String> asDesired(Map<String, String> installed, ShadowDocument doc) {
        Map<String, String> desired = desiredFeatures(doc);
        Map<String, String> result = new LinkedHashMap<>();
        installed.forEach((f, v) -> {
            String wanted = desired.get(f);
            result.put(f, wanted != null && FeatureInstaller.same(wanted, v) ? wanted : v);
        });
        return result;
    }

    /**
     * The features an update removed from desired state: the gateway lets only
     * {@code features.<name> = null} do that on the node's shadow, so each is an order to remove.
     */
    static List<String> removed(ShadowDocument previous, ShadowDocument current) {
        List<String> result = new ArrayList<>();
        Map<String, String> now = desiredFeatures(current);
        for (String f : desiredFeatures(previous).keySet()) {
            if (!now.containsKey(f)) {
                result.add(f);
            }
        }
        return result;
    }

    /** When desired state last set the feature's version, epoch seconds; 0 when unknown. */
    static long orderedAt(ShadowDocument doc, String feature) {
        Object t = path(doc == null ? null : doc.metadata(), "desired", FEATURES, feature, "timestamp");
        return t instanceof Number n ? n.longValue() : 0;
    }

    /**
     * Whether the node already tried this version after it was last ordered and it failed: the
     * same order is not tried again until someone sets it again.
     */
    static boolean failedSince(ShadowDocument doc, String feature, String version) {
        Object step = path(doc == null ? null : doc.reported(), UPDATES, feature);
        if (!(step instanceof Map<?, ?> s) || !UpdateStep.FAILED.equals(s.get("state"))
                || !version.equals(s.get("version"))) {
            return false;
        }
        return s.get("at") instanceof Number at && at.longValue() >= orderedAt(doc, feature);
    }

    private static Object path(Map<String, Object> root, String... keys) {
        Object node = root;
        for (String k : keys) {
            if (!(node instanceof Map<?, ?> m)) {
                return null;
            }
            node = m.get(k);
        }
        return node;
    }
}
