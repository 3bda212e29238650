package org.fogwerk.core.internal.authority;

import java.lang.reflect.Array;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** How values and errors read in the audit trail: short, one line. */
final class AuditText {

    static final int MAX = 512;

    private AuditText() {
    }

    static String value(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof byte[]) {
            return ((byte[]) value).length + " bytes";
        }
        if (value.getClass().isArray()) {
            StringBuilder b = new StringBuilder("[");
            int n = Array.getLength(value);
            for (int i = 0; i < n; i++) {
                b.append(i == 0 ? "" : ",").append(Array.get(value, i));
            }
            return cut(b.append(']').toString());
        }
        return cut(String.valueOf(value));
    }

    static String cut(String s) {
        String one = s.replace('\n', ' ').replace('\r', ' ');
        return one.length() <= MAX ? one : one.substring(0, MAX) + "... (" + one.length() + " characters)";
    }

    static String message(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
