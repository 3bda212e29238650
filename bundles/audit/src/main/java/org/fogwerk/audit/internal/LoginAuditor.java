package org.fogwerk.audit.internal;

import javax.security.auth.Subject;

import org.fogwerk.api.audit.AuditEvent;
import org.fogwerk.api.audit.AuditTrail;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Records every failed login. Karaf's {@code karaf} realm (shell, SSH, JMX, and the web console or
 * REST API when they log in against it) ends with an audit login module that posts
 * {@code org/apache/karaf/login/FAILURE} to EventAdmin (on by default: {@code audit.eventadmin.enabled}
 * in {@code etc/org.apache.karaf.jaas.cfg}) with the user name and the subject, which carries the
 * client's address for SSH. The password is never part of the event.
 */
@Component(service = EventHandler.class, immediate = true,
        property = EventConstants.EVENT_TOPIC + "=" + LoginAuditor.TOPIC)
public final class LoginAuditor extends Auditor implements EventHandler {

    static final String TOPIC = "org/apache/karaf/login/FAILURE";

    @Activate
    public LoginAuditor(@Reference AuditTrail trail) {
        super(trail);
    }

    @Override
    public void handleEvent(Event event) {
        Object user = event.getProperty("username");
        Object subject = event.getProperty("subject");
        String client = subject instanceof Subject ? Subjects.principal((Subject) subject, "ClientPrincipal") : "";
        String identity = user == null ? "" : user.toString();
        record(new AuditEvent(AuditEvent.KIND_LOGIN, "jaas", identity, "", "", "", "failed",
                client.isEmpty() ? "" : "client " + client));
    }
}
