package org.fogwerk.audit.internal;

import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeatureEvent;
import org.apache.karaf.features.FeaturesListener;
import org.apache.karaf.features.RepositoryEvent;
import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditTrail;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Records every Karaf feature installed or uninstalled, and feature repositories added or removed.
 * Karaf's features service picks up {@link FeaturesListener} services; where Karaf's features are
 * not installed (the import is optional) this component cannot load and the rest of the trail works.
 */
@Component(service = FeaturesListener.class, immediate = true)
public final class FeatureAuditor extends Auditor implements FeaturesListener {

    @Activate
    public FeatureAuditor(@Reference AuditTrail trail) {
        super(trail);
    }

    @Override
    public void featureEvent(FeatureEvent event) {
        if (event.isReplay()) {
            return; // what was installed before this listener came: already on record, or older than the trail
        }
        Feature f = event.getFeature();
        String outcome = event.getType() == FeatureEvent.EventType.FeatureInstalled ? "installed" : "uninstalled";
        String region = event.getRegion() == null || event.getRegion().equals("root") ? ""
                : "region " + event.getRegion();
        record(AuditEvent.KIND_FEATURE, f.getName() + " " + f.getVersion(), outcome, region);
    }

    @Override
    public void repositoryEvent(RepositoryEvent event) {
        if (event.isReplay()) {
            return;
        }
        String outcome = event.getType() == RepositoryEvent.EventType.RepositoryAdded ? "repository added"
                : "repository removed";
        record(AuditEvent.KIND_FEATURE, String.valueOf(event.getRepository().getURI()), outcome, "");
    }

    private void record(String kind, String target, String outcome, String detail) {
        record(new AuditEvent(kind, "framework", Subjects.currentUser(), "", target, "", outcome, detail));
    }
}
