package org.fogwerk.testing;

import java.security.Principal;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.List;
import java.util.concurrent.Callable;

import javax.security.auth.Subject;

/**
 * Runs code as a logged-in user, as the Karaf shell runs a command: under a JAAS subject with a
 * user principal and role principals (named as Karaf's, which is how the node recognises them).
 */
public final class Users {

    private Users() {
    }

    /** Runs {@code work} as {@code user} with {@code roles}; its exception comes out unwrapped. */
    @SuppressWarnings("removal")
    public static <T> T as(String user, List<String> roles, Callable<T> work) throws Exception {
        Subject subject = new Subject();
        subject.getPrincipals().add(new UserPrincipal(user));
        roles.forEach(r -> subject.getPrincipals().add(new RolePrincipal(r)));
        try {
            return Subject.doAs(subject, (PrivilegedExceptionAction<T>) work::call);
        } catch (PrivilegedActionException e) {
            throw e.getException();
        }
    }

    /** An operator of the node. */
    public static <T> T operator(Callable<T> work) throws Exception {
        return as("olga", List.of("operator", "viewer"), work);
    }

    private record UserPrincipal(String getName) implements Principal {
    }

    private record RolePrincipal(String getName) implements Principal {
    }
}
