package org.fogwerk.update.internal.shell;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.Source;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.update.internal.FeatureInstaller;
import org.fogwerk.update.internal.NodeUpdater;
import org.fogwerk.update.internal.UpdateOutcome;

/**
 * Orders a feature version (or its removal) through the node's own shadow, as a remote order
 * would come, and follows it until it is done, failed or rolled back. An order that is refused,
 * fails, is rolled back or does not finish while the command follows it makes the command fail
 * after its lines, so a script ({@code bin/client -b}) sees it in the exit status.
 */
@Service
@Command(scope = "fogwerk", name = "node-update",
        description = "Installs, updates or removes a Fogwerk feature on this node while the rest keeps running; "
                + "goes back to the version before if the new one does not come up healthy")
public class NodeUpdateCommand extends NodeAction {

    @Argument(index = 0, name = "feature", required = true, description = "the feature, e.g. fogwerk-connector-modbus")
    String feature;

    @Argument(index = 1, name = "version", required = false,
            description = "the version to install or update to (from the node's features repositories)")
    String version;

    @Option(name = "--remove", description = "remove the feature instead")
    boolean remove;

    @Option(name = "--no-wait", description = "order it and return at once; fogwerk:node-status shows how it goes")
    boolean noWait;

    @Option(name = "--wait", description = "seconds to follow the update before returning (default: health time "
            + "limit + 600)")
    int waitSeconds;

    @Override
    protected Object answer() throws Exception {
        PrintStream out = out();
        if (version != null && version.startsWith("-")) {
            // Karaf reads options only before the arguments
            throw new IllegalArgumentException("options go before the feature: fogwerk:node-update " + version + " "
                    + feature + (remove || noWait ? "" : " [<version>]"));
        }
        if (remove == (version != null)) {
            throw new IllegalArgumentException("give either a version or --remove: fogwerk:node-update " + feature
                    + " <version>");
        }
        if (waitSeconds < 0) {
            throw new IllegalArgumentException("--wait " + waitSeconds + ": give seconds, 1 or more");
        }
        String wanted = remove ? null : version.strip();
        if (!FeatureInstaller.fogwerk(feature)) {
            order(wanted); // refused whether installed or not, and on record as every refused order
        }
        Optional<String> installed = updates.installedVersion(feature);
        if (wanted != null && installed.isPresent() && FeatureInstaller.same(installed.get(), wanted)) {
            out.println(feature + " is already at " + installed.get());
            order(wanted);
            return null;
        }
        if (wanted == null && installed.isEmpty()) {
            out.println(feature + " is not installed");
            return null;
        }
        Instant since = Instant.now();
        order(wanted);
        out.println("Ordered " + (wanted == null ? "removal of " + feature : feature + " " + wanted) + " in the shadow "
                + updates.shadowName());
        if (noWait) {
            return null;
        }
        Duration limit = waitSeconds > 0 ? Duration.ofSeconds(waitSeconds)
                : updates.healthTimeout().plusSeconds(600);
        Optional<UpdateOutcome> end = updates.follow(feature, since, limit, out::println);
        String what = wanted == null ? "removal of " + feature : feature + " " + wanted;
        if (end.isEmpty()) {
            out.println("Still not finished after " + limit.toSeconds() + " s: fogwerk:node-status shows how it goes");
            throw new IllegalArgumentException(what + ": not finished within " + limit.toSeconds() + " s");
        }
        if (end.get().failed()) {
            throw new IllegalArgumentException(what + ": failed" + (end.get().rolledBackTo().isEmpty() ? ""
                    : ", rolled back to " + end.get().rolledBackTo()));
        }
        return null;
    }

    /** Orders the version in the node's shadow; a refusal (role, write policy) is the command's one error line. */
    private void order(String wanted) {
        try {
            updates.order(Caller.currentUser(Source.SHELL), feature, wanted);
        } catch (ShadowException e) {
            throw new IllegalArgumentException("refused (" + e.code() + "): " + e.getMessage(), e);
        }
    }
}
