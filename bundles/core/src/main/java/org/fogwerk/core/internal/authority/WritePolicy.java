package org.fogwerk.core.internal.authority;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.fogwerk.api.authority.Source;

/**
 * Which sources may write which things and fields. Each source has allow and deny globs over
 * {@code thing/field} (classic shadow) or {@code thing/shadow/field} (named shadow); in a glob
 * {@code *} stands for any characters but {@code /}, {@code **} for any characters. Deny wins
 * over allow. A source may create shadows that do not exist yet only with {@code create = true},
 * call machine methods only with {@code calls = true}, and order software updates only with
 * {@code updates = true}.
 *
 * <p>Defaults: the shell, the REST API and routes may write everything (the user's role still
 * decides for the shell and REST), create shadows and call methods; remote sources
 * ({@code mqtt-command}, {@code aws-local}, {@code aws-cloud}, {@code sparkplug}) may do nothing
 * the policy file does not allow. Only the shell and REST may order updates.
 */
public final class WritePolicy {

    /** What a policy says for one source. */
    record Rules(List<Pattern> allow, List<Pattern> deny, boolean create, boolean calls, boolean updates,
            List<String> allowText, List<String> denyText) {
    }

    private static final Pattern ANY = glob("**");

    private final Map<Source, Rules> rules;

    private WritePolicy(Map<Source, Rules> rules) {
        this.rules = rules;
    }

    /** The policy of a node without a policy file. */
    public static WritePolicy defaults() {
        return new WritePolicy(new EnumMap<>(Source.class)).withDefaults();
    }

    private WritePolicy withDefaults() {
        Map<Source, Rules> all = new EnumMap<>(Source.class);
        for (Source s : Source.values()) {
            Rules r = rules.get(s);
            all.put(s, r != null ? r : defaultRules(s));
        }
        return new WritePolicy(all);
    }

    static Rules defaultRules(Source s) {
        boolean local = !s.remote();
        boolean updates = s == Source.SHELL || s == Source.REST || s == Source.NODE;
        return new Rules(local ? List.of(ANY) : List.of(), List.of(), local, local, updates,
                local ? List.of("**") : List.of(), List.of());
    }

    /** Whether the source may write this field (a dotted path) of the thing's shadow. */
    public boolean mayWrite(Source source, String thing, String shadow, String field) {
        return matches(rules.get(source), target(thing, shadow, field));
    }

    /** Whether the source may delete the whole shadow: it may write every field of it. */
    public boolean mayDelete(Source source, String thing, String shadow) {
        return matches(rules.get(source), target(thing, shadow, "*"));
    }

    /**
     * Whether the source may remove a whole section, or the whole shadow, that holds these fields:
     * it must be allowed the whole shadow ({@code thing/*}) and each field it holds, so that a
     * {@code deny} of one field is not got round by removing everything.
     *
     * @return null when it may, else the target it may not touch
     */
    public String removalDenied(Source source, String thing, String shadow, Map<String, Object> held) {
        if (!mayDelete(source, thing, shadow)) {
            return target(thing, shadow, "*");
        }
        for (String field : held.keySet()) {
            if (!mayWrite(source, thing, shadow, field)) {
                return target(thing, shadow, field);
            }
        }
        return null;
    }

    /** The shadow a removal was refused for, and the field that kept it, when that is not the whole shadow. */
    static String holding(String thing, String shadow, String kept) {
        String whole = target(thing, shadow, "*");
        return kept.equals(whole) ? whole : whole + ", which holds " + kept;
    }

    public boolean mayCreate(Source source) {
        return rules.get(source).create();
    }

    public boolean mayCall(Source source) {
        return rules.get(source).calls();
    }

    public boolean mayUpdate(Source source) {
        return rules.get(source).updates();
    }

    /** One line per source, for the shell and the log. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        for (Source s : Source.values()) {
            Rules r = rules.get(s);
            lines.add(String.format(Locale.ROOT, "%s allow=%s deny=%s create=%s calls=%s updates=%s", s.id(),
                    r.allowText().isEmpty() ? "-" : String.join(",", r.allowText()),
                    r.denyText().isEmpty() ? "-" : String.join(",", r.denyText()), r.create(), r.calls(),
                    r.updates()));
        }
        return lines;
    }

    public static String target(String thing, String shadow, String field) {
        return shadow == null || shadow.isEmpty() ? thing + "/" + field : thing + "/" + shadow + "/" + field;
    }

    private static boolean matches(Rules r, String target) {
        if (r == null) {
            return false;
        }
        for (Pattern p : r.deny()) {
            if (p.matcher(target).matches()) {
                return false;
            }
        }
        for (Pattern p : r.allow()) {
            if (p.matcher(target).matches()) {
                return true;
            }
        }
        return false;
    }

    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*') {
                if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                    regex.append(".*");
                    i++;
                } else {
                    regex.append("[^/]*");
                }
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    /**
     * Reads a policy from the lines of a properties-style file: {@code <source>.allow},
     * {@code <source>.deny} (comma-separated globs), {@code <source>.create},
     * {@code <source>.calls}, {@code <source>.updates} ({@code true} or {@code false}).
     *
     * @throws PolicyException naming the line and why
     */
    public static WritePolicy parse(List<String> lines) throws PolicyException {
        return parse(lines, name -> null);
    }

    /**
     * The same, with {@code ${name}} in values replaced by the property {@code name} (the node's
     * framework properties, such as {@code fogwerk.node}).
     */
    public static WritePolicy parse(List<String> lines, java.util.function.UnaryOperator<String> properties)
            throws PolicyException {
        Map<Source, Rules> parsed = new EnumMap<>(Source.class);
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            int lineNo = n + 1;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
                continue;
            }
            while (line.endsWith("\\") && n + 1 < lines.size()) {
                line = line.substring(0, line.length() - 1) + lines.get(++n).strip();
            }
            int eq = indexOfSeparator(line);
            if (eq < 0) {
                throw new PolicyException(lineNo, "'" + line + "' is not 'key = value'");
            }
            String key = line.substring(0, eq).strip();
            String value = substitute(line.substring(eq + 1).strip(), properties, lineNo);
            apply(parsed, key, value, lineNo);
        }
        return new WritePolicy(parsed).withDefaults();
    }

    /** Reads a policy from configuration properties (no line numbers: the key names the place). */
    public static WritePolicy parse(Map<String, ?> properties) throws PolicyException {
        Map<Source, Rules> parsed = new EnumMap<>(Source.class);
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            if (isFrameworkKey(e.getKey())) {
                continue;
            }
            apply(parsed, e.getKey(), String.valueOf(e.getValue()).strip(), 0);
        }
        return new WritePolicy(parsed).withDefaults();
    }

    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]*)}");

    private static String substitute(String value, java.util.function.UnaryOperator<String> properties, int line)
            throws PolicyException {
        java.util.regex.Matcher m = PROPERTY.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String v = properties.apply(name);
            if (v == null) {
                v = System.getProperty(name);
            }
            if (v == null) {
                throw new PolicyException(line, "${" + name + "} is not a property of the node");
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    static boolean isFrameworkKey(String key) {
        return key.startsWith("service.") || key.startsWith("felix.") || key.startsWith("component.")
                || key.startsWith("osgi.") || key.startsWith(":org.apache.felix");
    }

    private static int indexOfSeparator(String line) {
        int eq = line.indexOf('=');
        int colon = line.indexOf(':');
        if (eq < 0) {
            return colon;
        }
        return colon >= 0 && colon < eq ? colon : eq;
    }

    private static void apply(Map<Source, Rules> parsed, String key, String value, int line) throws PolicyException {
        if (isFrameworkKey(key)) {
            return;
        }
        int dot = key.lastIndexOf('.');
        if (dot <= 0) {
            throw new PolicyException(line, "key '" + key + "' is not '<source>.allow', '<source>.deny', "
                    + "'<source>.create', '<source>.calls' or '<source>.updates'");
        }
        String sourceName = key.substring(0, dot);
        String what = key.substring(dot + 1);
        Optional<Source> source = Source.of(sourceName);
        if (source.isEmpty() || source.get() == Source.NODE) {
            throw new PolicyException(line, "'" + sourceName + "' in key '" + key + "' is not a source (shell, rest, "
                    + "route, mqtt-command, aws-local, aws-cloud, sparkplug)");
        }
        // a source's first line starts from its defaults: a deny alone keeps the allow of a local
        // source (shell, rest, route may write everything) and takes only what it names away
        Rules defaults = defaultRules(source.get());
        Rules before = parsed.getOrDefault(source.get(), new Rules(defaults.allow(), List.of(), defaults.create(),
                defaults.calls(), defaults.updates(), defaults.allowText(), List.of()));
        Rules after;
        switch (what) {
            case "allow":
                List<String> allow = globs(key, value, line);
                after = new Rules(compile(allow), before.deny(), before.create(), before.calls(), before.updates(),
                        allow, before.denyText());
                break;
            case "deny":
                List<String> deny = globs(key, value, line);
                after = new Rules(before.allow(), compile(deny), before.create(), before.calls(), before.updates(),
                        before.allowText(), deny);
                break;
            case "create":
                after = new Rules(before.allow(), before.deny(), bool(key, value, line), before.calls(),
                        before.updates(), before.allowText(), before.denyText());
                break;
            case "calls":
                after = new Rules(before.allow(), before.deny(), before.create(), bool(key, value, line),
                        before.updates(), before.allowText(), before.denyText());
                break;
            case "updates":
                after = new Rules(before.allow(), before.deny(), before.create(), before.calls(),
                        bool(key, value, line), before.allowText(), before.denyText());
                break;
            default:
                throw new PolicyException(line, "'" + what + "' in key '" + key
                        + "' is not allow, deny, create, calls or updates");
        }
        parsed.put(source.get(), after);
    }

    private static boolean bool(String key, String value, int line) throws PolicyException {
        String v = value.toLowerCase(Locale.ROOT);
        if (v.equals("true")) {
            return true;
        }
        if (v.equals("false")) {
            return false;
        }
        throw new PolicyException(line, key + ": '" + value + "' is not true or false");
    }

    private static List<String> globs(String key, String value, int line) throws PolicyException {
        List<String> result = new ArrayList<>();
        if (value.isEmpty()) {
            return result;
        }
        for (String part : value.split(",")) {
            String g = part.strip();
            if (g.isEmpty()) {
                throw new PolicyException(line, key + ": an empty entry between commas");
            }
            if (!g.contains("/") && !g.equals("**")) {
                throw new PolicyException(line, key + ": '" + g + "' names no field: write 'thing/field', "
                        + "'thing/*' for every field of its classic shadow or 'thing/**' for all of its shadows");
            }
            if (g.chars().anyMatch(Character::isWhitespace)) {
                throw new PolicyException(line, key + ": '" + g + "' contains white space");
            }
            result.add(g);
        }
        return List.copyOf(result);
    }

    private static List<Pattern> compile(List<String> globs) {
        List<Pattern> result = new ArrayList<>();
        for (String g : globs) {
            result.add(glob(g));
        }
        return List.copyOf(result);
    }

    /** A policy file that cannot be read, with the line (0 when unknown) and why. */
    public static final class PolicyException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int line;

        PolicyException(int line, String message) {
            super(message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }
}
