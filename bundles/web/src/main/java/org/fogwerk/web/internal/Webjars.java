package org.fogwerk.web.internal;

import java.net.URL;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/** Files of webjar bundles (installed by the feature), so the pages need no internet access. */
final class Webjars {

    private Webjars() {
    }

    /** The bundle's {@code META-INF/resources/webjars/<name>/<version>/<file>}, or {@code null}. */
    static URL entry(BundleContext context, String symbolicName, String name, String file) {
        Bundle b = bundle(context, symbolicName);
        if (b == null) {
            return null;
        }
        String version = b.getVersion().getMajor() + "." + b.getVersion().getMinor() + "." + b.getVersion().getMicro();
        return b.getEntry("META-INF/resources/webjars/" + name + "/" + version + "/" + file);
    }

    static Bundle bundle(BundleContext context, String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }
}
