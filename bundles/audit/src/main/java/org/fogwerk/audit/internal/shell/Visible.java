package org.fogwerk.audit.internal.shell;

/**
 * Text of the audit trail as the shell prints it. An entry's fields can hold what a client chose
 * without logging in (the user name of a failed login): a control character printed as it is
 * would recolour, move or erase on the administrator's terminal, or start a line that looks like
 * another entry. Each is shown as an escape instead, as in the trail's JSON lines: {@code \t},
 * {@code \n}, {@code \r}, and {@code \}{@code uXXXX} for every other one ({@code \}{@code u001B} for
 * ESC), including U+007F to U+009F and the line and paragraph separators U+2028 and U+2029. All
 * other text, letters of every script included, is shown as it is.
 */
final class Visible {

    private Visible() {
    }

    /** The value's text with every control character escaped; the same string when it has none. */
    static String text(Object value) {
        String s = String.valueOf(value);
        int i = 0;
        while (i < s.length() && !control(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!control(c)) {
                b.append(c);
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else {
                b.append(String.format("\\u%04X", (int) c));
            }
        }
        return b.toString();
    }

    private static boolean control(char c) {
        return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
    }
}
