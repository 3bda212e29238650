package org.fogwerk.update.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.fogwerk.api.connector.ConnectorInfo;
import org.fogwerk.api.connector.ConnectorRegistry;
import org.fogwerk.api.uplink.Uplink;
import org.fogwerk.api.uplink.UplinkState;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Whether bundles run as they should: each one Active (a fragment Resolved), and none of their
 * Declarative Services components FAILED to activate; and whether the connections and uplinks that
 * ran before an update run after it.
 */
final class HealthCheck {

    /** SCR tells nobody when a component fails: the check looks again at this pace. */
    private static final Duration POLL = Duration.ofMillis(250);

    private final ServiceComponentRuntime scr;

    HealthCheck(ServiceComponentRuntime scr) {
        this.scr = scr;
    }

    /** What is wrong with the bundles, empty when nothing is. */
    List<String> problems(List<Bundle> bundles) {
        List<String> problems = new ArrayList<>();
        for (Bundle b : bundles) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            int wanted = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != wanted) {
                problems.add(b.getSymbolicName() + " " + b.getVersion() + " is " + state(b.getState())
                        + ", not " + state(wanted));
                continue;
            }
            if (scr == null || fragment) {
                continue;
            }
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                        problems.add(b.getSymbolicName() + " " + b.getVersion() + ": component " + d.name
                                + " FAILED" + (c.failure == null ? "" : ": " + rootCause(c.failure)));
                    }
                }
            }
        }
        return problems;
    }

    /**
     * What runs: the connections the registry lists (in whatever state: one that cannot reach its
     * machine still runs), and the uplinks that neither failed nor wait for their profile (one whose
     * broker is away still runs).
     */
    record Running(Set<String> connections, Set<String> uplinks) {

        static Running now(ConnectorRegistry registry, Collection<Uplink> uplinkServices) {
            Set<String> connections = new TreeSet<>();
            if (registry != null) {
                for (ConnectorInfo c : registry.connectors()) {
                    connections.add(c.id());
                }
            }
            Set<String> uplinks = new TreeSet<>();
            for (Uplink u : uplinkServices) {
                UplinkState state = u.status().state();
                if (state != UplinkState.FAILED && state != UplinkState.WAITING) {
                    uplinks.add(u.name());
                }
            }
            return new Running(connections, uplinks);
        }

        /**
         * What ran here and does not run {@code now}. A build whose connector or uplink profile
         * never starts (its component missing, or waiting for a service nobody offers) leaves no
         * FAILED component behind, only connections that are gone and uplinks that wait.
         */
        List<String> stoppedIn(Running now) {
            List<String> problems = new ArrayList<>();
            gone("connection", connections, now.connections).ifPresent(problems::add);
            gone("uplink", uplinks, now.uplinks).ifPresent(problems::add);
            return problems;
        }

        private static Optional<String> gone(String kind, Set<String> before, Set<String> now) {
            List<String> gone = before.stream().filter(n -> !now.contains(n)).toList();
            if (gone.isEmpty()) {
                return Optional.empty();
            }
            boolean one = gone.size() == 1;
            return Optional.of(kind + (one ? " " : "s ") + String.join(", ", gone) + " ran before the update and "
                    + (one ? "does" : "do") + " not run now");
        }
    }

    /**
     * The health of the node's own bundles ({@code org.fogwerk.*}), as reported state says it:
     * {@code ok}, or {@code degraded: } and what is wrong.
     */
    String nodeHealth(BundleContext context) {
        List<Bundle> own = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getSymbolicName() != null && b.getSymbolicName().startsWith("org.fogwerk.")) {
                own.add(b);
            }
        }
        List<String> problems = problems(own);
        return problems.isEmpty() ? "ok" : "degraded: " + String.join("; ", problems);
    }

    /**
     * Waits until a check has found nothing wrong for {@code settle} in a row, at most {@code limit}.
     *
     * @param check looks again each time (an update may replace the bundles it looks at)
     * @return the problems at the limit, empty when all came up healthy
     */
    static List<String> await(Supplier<List<String>> check, Duration limit, Duration settle)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long healthySince = -1;
        while (true) {
            List<String> problems = check.get();
            long now = System.nanoTime();
            if (problems.isEmpty()) {
                if (healthySince < 0) {
                    healthySince = now;
                }
                if (now - healthySince >= settle.toNanos()) {
                    return List.of();
                }
            } else {
                healthySince = -1;
            }
            if (now >= deadline) {
                return problems.isEmpty() ? List.of() : problems;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /**
     * The line of a failure's stack trace that says why: the last {@code Caused by:}, since the
     * first is often only the reflection wrapper ({@code InvocationTargetException}).
     */
    static String rootCause(String trace) {
        String why = null;
        for (String line : trace.split("\\R")) {
            String l = line.strip();
            if (why == null && !l.isEmpty()) {
                why = l;
            }
            if (l.startsWith("Caused by: ")) {
                why = l.substring("Caused by: ".length());
            }
        }
        return why == null ? "" : why;
    }

    static String state(int state) {
        switch (state) {
            case Bundle.INSTALLED:
                return "Installed";
            case Bundle.RESOLVED:
                return "Resolved";
            case Bundle.STARTING:
                return "Starting";
            case Bundle.STOPPING:
                return "Stopping";
            case Bundle.ACTIVE:
                return "Active";
            default:
                return "Uninstalled";
        }
    }
}
