package org.fogwerk.support.shadow;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * A JSON syntax error in words a user of the shadow service understands: what was found, what
 * was expected, at which line and column, for the shadow service and everything that reads requests
 * for it. Jackson's own text names its parser internals
 * ({@code [Source: REDACTED (StreamReadFeature...}, {@code code 125}).
 */
public final class JsonSyntax {

    private static final Pattern SOURCE = Pattern.compile("\\s*\\(?\\s*start marker at \\[Source:.*?\\]\\)?|\\s*\\[Source:.*?\\]");
    private static final Pattern CHARACTER = Pattern.compile("Unexpected character \\('(.*?)' \\(code \\d+\\)\\)");
    private static final Pattern TOKEN = Pattern.compile("Unrecognized token '(.*?)'");

    private JsonSyntax() {
    }

    public static String describe(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "" : SOURCE.matcher(e.getOriginalMessage()).replaceAll("");
        String found;
        Matcher c = CHARACTER.matcher(m);
        Matcher t = TOKEN.matcher(m);
        if (m.startsWith("Unexpected end-of-input")) {
            found = "the text ends too early";
        } else if (c.find()) {
            found = "unexpected '" + c.group(1) + "'";
        } else if (t.find()) {
            found = "unknown word '" + t.group(1) + "'";
        } else {
            int colon = m.indexOf(':');
            found = (colon > 0 ? m.substring(0, colon) : m).strip();
        }
        String expected = expected(m);
        String where = e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return found + where + (expected.isEmpty() ? "" : ": expected " + expected);
    }

    private static String expected(String m) {
        if (m.contains("close marker for Object") || m.contains("comma to separate Object entries")) {
            return "',' or '}'";
        }
        if (m.contains("close marker for Array") || m.contains("comma to separate Array entries")) {
            return "',' or ']'";
        }
        if (m.contains("double-quote to start field name")) {
            return "a field name in double quotes";
        }
        if (m.contains("a colon to separate field name and value")) {
            return "':' after the field name";
        }
        if (m.contains("JSON String, Number, Array, Object or token") || m.contains("expected a value")
                || m.contains("was expecting a value")) {
            return "a value (a string in double quotes, a number, an object, an array, true, false or null)";
        }
        int i = m.indexOf("was expecting ");
        return i < 0 ? "" : m.substring(i + "was expecting ".length()).strip();
    }
}
