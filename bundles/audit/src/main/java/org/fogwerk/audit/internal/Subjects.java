package org.fogwerk.audit.internal;

import java.security.AccessController;
import java.security.Principal;

import javax.security.auth.Subject;

/** Who is acting on this thread: the user of a Karaf shell or SSH session, which runs as its JAAS subject. */
final class Subjects {

    private Subjects() {
    }

    /** The user name, or empty when the thread acts for nobody (FileInstall, the framework, a timer). */
    @SuppressWarnings("removal")
    static String currentUser() {
        Subject subject;
        try {
            subject = Subject.getSubject(AccessController.getContext());
        } catch (SecurityException | UnsupportedOperationException e) {
            return "";
        }
        return user(subject);
    }

    /** Karaf's {@code UserPrincipal}, matched by name so the bundle needs no JAAS import. */
    static String user(Subject subject) {
        return principal(subject, "UserPrincipal");
    }

    static String principal(Subject subject, String simpleClassName) {
        if (subject == null) {
            return "";
        }
        for (Principal p : subject.getPrincipals()) {
            if (p.getClass().getSimpleName().equals(simpleClassName)) {
                return p.getName();
            }
        }
        return "";
    }
}
