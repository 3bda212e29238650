package org.fogwerk.audit.internal;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.security.auth.Subject;

import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditTrail;
import org.fogwerk.support.concurrent.DaemonThreads;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Records failed logins. Karaf's {@code karaf} realm (shell, SSH, JMX, and the web console or
 * REST API when they log in against it) ends with an audit login module that posts
 * {@code org/apache/karaf/login/FAILURE} to EventAdmin (on by default: {@code audit.eventadmin.enabled}
 * in {@code etc/org.apache.karaf.jaas.cfg}) with the user name and the subject, which carries the
 * client's address for SSH. The password is never part of the event.
 *
 * <p>Anyone who reaches the node can fail a login without an account, so a flood must not flood
 * the trail: the first {@value #PER_MINUTE} failures of each minute are an entry each, the rest
 * of that minute one entry at its end with their number and the user names they tried.
 */
@Component(service = EventHandler.class, immediate = true,
        property = EventConstants.EVENT_TOPIC + "=" + LoginAuditor.TOPIC)
public final class LoginAuditor extends Auditor implements EventHandler {

    static final String TOPIC = "org/apache/karaf/login/FAILURE";
    static final int PER_MINUTE = 20;
    /** User names a summary names at most. */
    private static final int NAMES = 10;

    private final ScheduledExecutorService minutes;
    private int inMinute;
    private int beyond;
    private final Set<String> beyondNames = new LinkedHashSet<>();

    @Activate
    public LoginAuditor(@Reference AuditTrail trail) {
        this(trail, true);
    }

    /** With {@code timed} false (tests) a minute ends only when {@link #endMinute} is called. */
    LoginAuditor(AuditTrail trail, boolean timed) {
        super(trail);
        this.minutes = timed ? Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fogwerk-audit-logins"))
                : null;
        if (minutes != null) {
            minutes.scheduleAtFixedRate(this::endMinute, 1, 1, TimeUnit.MINUTES);
        }
    }

    @Deactivate
    void deactivate() {
        if (minutes != null) {
            minutes.shutdownNow();
        }
        endMinute();
    }

    @Override
    public void handleEvent(Event event) {
        Object user = event.getProperty("username");
        Object subject = event.getProperty("subject");
        String client = subject instanceof Subject ? Subjects.principal((Subject) subject, "ClientPrincipal") : "";
        String identity = user == null ? "" : user.toString();
        synchronized (this) {
            if (inMinute >= PER_MINUTE) {
                beyond++;
                if (beyondNames.size() < NAMES) {
                    beyondNames.add(identity);
                }
                return;
            }
            inMinute++;
        }
        record(new AuditEvent(AuditEvent.KIND_LOGIN, "jaas", identity, "", "", "", "failed",
                client.isEmpty() ? "" : "client " + client));
    }

    /** Ends the minute: what was beyond its entries becomes one entry. */
    void endMinute() {
        int n;
        String names;
        synchronized (this) {
            n = beyond;
            names = String.join(", ", beyondNames);
            inMinute = 0;
            beyond = 0;
            beyondNames.clear();
        }
        if (n > 0) {
            record(new AuditEvent(AuditEvent.KIND_LOGIN, "jaas", "", "", "", "", "failed",
                    n + " more failed logins in the minute, beyond " + PER_MINUTE + " recorded one by one; users: "
                            + names + (n > NAMES ? ", ..." : "")));
        }
    }
}
