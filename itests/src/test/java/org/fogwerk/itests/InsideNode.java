package org.fogwerk.itests;

import java.util.ArrayList;
import java.util.List;

import javax.inject.Inject;

import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.fogwerk.api.shadow.ShadowStore;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

/**
 * A test that runs inside the booted distribution, with the node's services these tests look
 * at: its bundles, its features, its shadows and its shell, used as the shipped administrator.
 * Pax Exam injects these fields here as in the test itself, waiting for each service; each
 * test names its own reactor strategy, which is not inherited.
 */
@RunWith(PaxExam.class)
abstract class InsideNode {

    /** The system property that tells the test the id of its node, where its configuration sets one. */
    static final String NODE_ID = "fogwerk.it.node";

    @Inject
    BundleContext context;

    @Inject
    SessionFactory sessions;

    @Inject
    FeaturesService features;

    @Inject
    ShadowStore shadows;

    /** Runs a command as the shipped administrator: what it printed and returned. */
    String execute(String command) throws Exception {
        return ShellAs.run(sessions, "itest-admin", ShellAs.ADMIN, command);
    }

    /** The bundles that are not Active, with their state; fragments, which never are, left out. */
    List<String> notActive() {
        List<String> result = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (!fragment && b.getState() != Bundle.ACTIVE) {
                result.add(b.getSymbolicName() + " " + b.getState());
            }
        }
        return result;
    }
}
