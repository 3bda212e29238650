package org.fogwerk.connector.opcua.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.milo.opcua.stack.core.UaException;

/** Failures of the Milo client told as a user reads them: the status name and Milo's message. */
final class UaErrors {

    private static final Pattern STATUS = Pattern.compile("status=([A-Za-z_]+), message=(.*)", Pattern.DOTALL);

    private UaErrors() {
    }

    static String describe(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof UaException) {
                UaException u = (UaException) c;
                String m = u.getMessage() == null ? "" : u.getMessage();
                Matcher matcher = STATUS.matcher(m);
                if (matcher.find()) {
                    return matcher.group(1) + ": " + matcher.group(2);
                }
                return ValueMapper.statusName(u.getStatusCode()) + (m.isEmpty() ? "" : ": " + m);
            }
        }
        Throwable t = unwrap(e);
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
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
