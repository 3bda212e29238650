package org.fogwerk.update.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

import org.apache.karaf.features.BundleInfo;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.fogwerk.api.NodeIdentity;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.slf4j.LoggerFactory;

/**
 * Karaf's features service as the node's installer: it resolves a feature version against the
 * running container and updates, installs or removes its bundles in one deployment, refreshing
 * only the bundles wired to what changed, so the rest of the node keeps running.
 */
public final class FeatureInstaller {


    private final FeaturesService features;
    private final BundleContext context;
    private final String repositoryTemplate;
    /** The repositories this installer added, by the version they were added for. */
    private final Map<String, URI> added = new java.util.concurrent.ConcurrentHashMap<>();

    FeatureInstaller(FeaturesService features, BundleContext context, String repositoryTemplate) {
        this.features = features;
        this.context = context;
        this.repositoryTemplate = repositoryTemplate == null ? "" : repositoryTemplate.strip();
    }

    /** The installed Fogwerk features and their versions, by name. */
    Map<String, String> installed() {
        Map<String, String> result = new TreeMap<>();
        try {
            for (Feature f : features.listInstalledFeatures()) {
                if (fogwerk(f.getName())) {
                    result.merge(f.getName(), f.getVersion(), (a, b) -> newer(a, b) ? a : b);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("the features service cannot list installed features: " + e.getMessage(), e);
        }
        return result;
    }

    /** Whether the feature is one of Fogwerk's own, the only ones the node reports and takes orders for. */
    public static boolean fogwerk(String feature) {
        return NodeIdentity.notOrderable(feature) == null;
    }

    /** The installed version of a feature (of any name). */
    Optional<String> installedVersion(String feature) {
        try {
            String best = null;
            for (Feature f : features.listInstalledFeatures()) {
                if (f.getName().equals(feature) && (best == null || newer(f.getVersion(), best))) {
                    best = f.getVersion();
                }
            }
            return Optional.ofNullable(best);
        } catch (Exception e) {
            throw new IllegalStateException("the features service cannot list installed features: " + e.getMessage(), e);
        }
    }

    /**
     * Installs the version, replacing any other installed version of the feature in the same
     * deployment. A version no repository of the node offers is looked for in the configured
     * repository first.
     */
    void install(String feature, String version) throws Exception {
        refuseOthers(feature);
        Feature f = find(feature, version);
        features.installFeature(f.getName(), f.getVersion(), EnumSet.of(FeaturesService.Option.Upgrade));
    }

    /**
     * Removes a feature installed on its own. One that came as part of another installed feature
     * (the aggregate {@code fogwerk}, say) goes only with that one: Karaf would keep it.
     */
    void uninstall(String feature, String version) throws Exception {
        refuseOthers(feature);
        Feature f = features.getFeature(feature, version);
        if (f != null && !features.isRequired(f)) {
            throw new IllegalStateException(feature + " " + version + " is installed as part of another feature, "
                    + "not on its own: it goes only with that one");
        }
        features.uninstallFeature(feature, version);
        Optional<String> still = installedVersion(feature);
        if (still.isPresent()) {
            throw new IllegalStateException(feature + " " + still.get() + " is still installed: another installed "
                    + "feature needs it");
        }
    }

    /**
     * Lets go of the repository a version that failed came from, so that Karaf never picks that
     * version by itself later (for a feature that needs any version of it, after a removal).
     */
    void forget(String version) {
        URI uri = version == null ? null : added.remove(version);
        if (uri != null) {
            try {
                features.removeRepository(uri, false);
            } catch (Exception e) {
                LoggerFactory.getLogger(FeatureInstaller.class).warn("Software update: the repository {} of the"
                        + " version that failed stays known: {}", uri, e.getMessage());
            }
        }
    }

    private static void refuseOthers(String feature) {
        String refusal = NodeIdentity.notOrderable(feature);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
    }

    private Feature find(String feature, String version) throws Exception {
        Feature f = features.getFeature(feature, version);
        if (f != null) {
            return f;
        }
        String tried = "";
        if (!repositoryTemplate.isEmpty()) {
            URI uri = URI.create(repositoryTemplate.replace("{version}", version));
            tried = " nor in " + uri;
            try {
                features.addRepository(uri);
                added.put(version, uri);
            } catch (Exception e) {
                throw new IllegalStateException("no feature " + feature + " " + version + " in the node's features "
                        + "repositories (feature:repo-list), and " + uri + " cannot be read: " + e.getMessage(), e);
            }
            f = features.getFeature(feature, version);
        }
        if (f == null) {
            throw new IllegalStateException("no feature " + feature + " " + version
                    + " in the node's features repositories (feature:repo-list)" + tried);
        }
        return f;
    }

    /**
     * The bundles a feature version brings itself (not those it marks as dependencies), as the
     * framework runs them: found by the symbolic name and version in each bundle's manifest,
     * because an update in place keeps the bundle's old location.
     *
     */
    FeatureBundles ownBundles(String feature, String version) throws Exception {
        Feature f = features.getFeature(feature, version);
        if (f == null) {
            throw new IllegalStateException("no feature " + feature + " " + version);
        }
        List<Bundle> running = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (BundleInfo b : f.getBundles()) {
            if (b.isDependency()) {
                continue;
            }
            Manifest m = manifest(b.getLocation());
            String name = m == null ? null : m.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            if (name == null) {
                missing.add(b.getLocation() + " has no bundle manifest");
                continue;
            }
            String bsn = name.split(";")[0].strip();
            Version v = Version.parseVersion(m.getMainAttributes().getValue(Constants.BUNDLE_VERSION));
            Bundle found = null;
            for (Bundle candidate : context.getBundles()) {
                if (bsn.equals(candidate.getSymbolicName()) && v.equals(candidate.getVersion())) {
                    found = candidate;
                }
            }
            if (found != null) {
                running.add(found);
            } else {
                missing.add(bsn + " " + v + " is not installed");
            }
        }
        return new FeatureBundles(List.copyOf(running), List.copyOf(missing));
    }

    /** A feature's own bundles as they run, and what of them is not there. */
    record FeatureBundles(List<Bundle> running, List<String> missing) {
    }

    private static Manifest manifest(String location) throws IOException {
        try (InputStream in = new URL(location).openStream(); JarInputStream jar = new JarInputStream(in)) {
            return jar.getManifest();
        }
    }

    /** Whether two version texts name the same version ({@code 1.2.0-SNAPSHOT} and {@code 1.2.0.SNAPSHOT} do). */
    public static boolean same(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        Optional<Version> va = osgi(a);
        Optional<Version> vb = osgi(b);
        return va.isPresent() && vb.isPresent() ? va.get().equals(vb.get()) : a.equals(b);
    }

    private static boolean newer(String a, String b) {
        Optional<Version> va = osgi(a);
        Optional<Version> vb = osgi(b);
        return va.isPresent() && vb.isPresent() && va.get().compareTo(vb.get()) > 0;
    }

    /** Maven's {@code 1.2.0-SNAPSHOT} as OSGi's {@code 1.2.0.SNAPSHOT}, as Karaf reads feature versions. */
    static Optional<Version> osgi(String text) {
        String t = text.strip();
        int dash = t.indexOf('-');
        if (dash > 0) {
            String base = t.substring(0, dash);
            String qualifier = t.substring(dash + 1).replaceAll("[^A-Za-z0-9_-]", "_");
            String[] parts = base.split("\\.");
            StringBuilder s = new StringBuilder(base);
            for (int i = parts.length; i < 3; i++) {
                s.append(".0");
            }
            t = s + "." + qualifier;
        }
        try {
            return Optional.of(Version.parseVersion(t));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A failure as one line: the first message found down the causes, Karaf's several lines joined. */
    static String message(Throwable e) {
        Throwable t = e;
        String m = t.getMessage();
        while ((m == null || m.isBlank()) && t.getCause() != null) {
            t = t.getCause();
            m = t.getMessage();
        }
        // Karaf gathers several failures in one message, one per line: keep them on one
        return m == null ? t.getClass().getSimpleName() : m.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
