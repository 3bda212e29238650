package org.fogwerk.audit.internal;

import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditTrail;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Records every bundle installed, updated or uninstalled. Synchronous, so the thread is still the one
 * that asked (a shell session's {@code bundle:install} carries its user).
 */
@Component(service = {}, immediate = true)
public final class BundleAuditor implements SynchronousBundleListener {

    private final AuditTrail trail;
    private final BundleContext context;

    @Activate
    public BundleAuditor(@Reference AuditTrail trail, BundleContext context) {
        this.trail = trail;
        this.context = context;
        context.addBundleListener(this);
    }

    @Deactivate
    void deactivate() {
        context.removeBundleListener(this);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        String outcome;
        switch (event.getType()) {
            case BundleEvent.INSTALLED:
                outcome = "installed";
                break;
            case BundleEvent.UPDATED:
                outcome = "updated";
                break;
            case BundleEvent.UNINSTALLED:
                outcome = "uninstalled";
                break;
            default:
                return;
        }
        Bundle b = event.getBundle();
        String target = b.getSymbolicName() + " " + b.getVersion();
        Records.append(trail, new AuditEvent(AuditEvent.KIND_BUNDLE, "framework", Subjects.currentUser(), "", target,
                "", outcome, "id " + b.getBundleId() + ", " + b.getLocation()));
    }
}
