package org.fogwerk.connector.opcua.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;

/** Failures of the Milo client told as a user reads them: the status name and Milo's message. */
final class UaErrors {

    private static final Pattern STATUS = Pattern.compile("status=([A-Za-z_]+), (?:message|description)=(.*)",
            Pattern.DOTALL);
    /** A Java class name that Netty and the JDK put before their messages ({@code io.netty...Exception: }). */
    private static final Pattern CLASS_PREFIX = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*: ");

    private UaErrors() {
    }

    static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UaException) {
                UaException u = (UaException) c;
                String m = u.getMessage() == null ? "" : u.getMessage();
                Matcher matcher = STATUS.matcher(m);
                if (matcher.find()) {
                    return matcher.group(1) + ": " + readable(matcher.group(2));
                }
                return ValueMapper.statusName(u.getStatusCode()) + (m.isEmpty() ? "" : ": " + readable(m));
            }
        }
        Throwable t = unwrap(e);
        return t.getMessage() == null ? t.getClass().getSimpleName() : readable(t.getMessage());
    }

    /** A message without the Java class names before its parts: what a user reads in a reason. */
    static String readable(String message) {
        return CLASS_PREFIX.matcher(message).replaceAll("");
    }

    /**
     * A request that got no answer in time (Bad_Timeout): the server may have carried it out all
     * the same, so a write is not known to have failed.
     */
    static boolean timedOut(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UaException u && u.getStatusCode().getValue() == StatusCodes.Bad_Timeout) {
                return true;
            }
        }
        return false;
    }

    /**
     * The server refused the session's login (user name and password, user certificate, or an
     * anonymous session): a setting or an account to change, not a network fault.
     */
    static boolean loginRefused(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UaException u) {
                long code = u.getStatusCode().getValue();
                return code == StatusCodes.Bad_UserAccessDenied || code == StatusCodes.Bad_IdentityTokenInvalid
                        || code == StatusCodes.Bad_IdentityTokenRejected || code == StatusCodes.Bad_UserSignatureInvalid;
            }
        }
        return false;
    }

    /** The cause behind the wrappers of futures. */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof ExecutionException || t instanceof CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
