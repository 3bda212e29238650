package org.fogwerk.web.testing;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: every line must be
 * a HELP, a TYPE or a sample; a family's TYPE comes before its samples and only once; names and
 * label names follow the format's grammar; values are numbers; no series appears twice. Shared
 * by the unit tests of the web bundle and the integration tests (added as a test source there).
 */
public final class PrometheusText {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)( -?\\d+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\"\\\\n])*)\"(,|$)");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    /** The series (name and labels as written) and their values. */
    public static Map<String, Double> parse(String text) {
        Map<String, String> types = new HashMap<>();
        Set<String> helped = new HashSet<>();
        Map<String, Double> series = new LinkedHashMap<>();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                if (n != text.split("\n", -1).length) {
                    throw new IllegalArgumentException("line " + n + ": empty line");
                }
                continue;
            }
            if (line.startsWith("# HELP ")) {
                String name = line.substring(7).split(" ", 2)[0];
                requireName(name, n);
                if (!helped.add(name)) {
                    throw new IllegalArgumentException("line " + n + ": second HELP for " + name);
                }
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).split(" ");
                if (p.length != 2 || !TYPES.contains(p[1])) {
                    throw new IllegalArgumentException("line " + n + ": bad TYPE line: " + line);
                }
                requireName(p[0], n);
                if (types.put(p[0], p[1]) != null) {
                    throw new IllegalArgumentException("line " + n + ": second TYPE for " + p[0]);
                }
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("line " + n + ": not a sample: " + line);
            }
            String name = m.group(1);
            if (m.group(3) != null && !m.group(3).isEmpty()) {
                Matcher l = LABEL.matcher(m.group(3));
                int end = 0;
                while (l.find() && l.start() == end) {
                    end = l.end();
                }
                if (end != m.group(3).length()) {
                    throw new IllegalArgumentException("line " + n + ": bad labels: " + m.group(3));
                }
            }
            String family = family(name, types);
            if (family == null) {
                throw new IllegalArgumentException("line " + n + ": sample " + name + " before its TYPE");
            }
            double value = value(m.group(4), n);
            String key = name + (m.group(2) == null ? "" : m.group(2));
            if (series.put(key, value) != null) {
                throw new IllegalArgumentException("line " + n + ": series twice: " + key);
            }
            if ("counter".equals(types.get(family)) && (value < 0 || !name.endsWith("_total") && !name.endsWith("_created"))) {
                throw new IllegalArgumentException("line " + n + ": counter sample " + name + " must end in _total and be >= 0");
            }
        }
        return series;
    }

    private static String family(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : new String[] {"_total", "_created", "_count", "_sum", "_bucket"}) {
            if (name.endsWith(suffix) && types.containsKey(name.substring(0, name.length() - suffix.length()))) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return null;
    }

    private static void requireName(String name, int line) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("line " + line + ": bad metric name " + name);
        }
    }

    private static double value(String s, int line) {
        switch (s) {
            case "NaN": return Double.NaN;
            case "+Inf": return Double.POSITIVE_INFINITY;
            case "-Inf": return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("line " + line + ": bad value " + s);
                }
        }
    }

    private PrometheusText() {
    }
}
