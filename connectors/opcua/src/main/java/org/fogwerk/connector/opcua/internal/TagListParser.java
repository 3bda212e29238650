package org.fogwerk.connector.opcua.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.fogwerk.api.Access;
import org.fogwerk.api.DataType;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.support.csv.TagTable;

/**
 * Reads tag lists: the inline {@code tags} key and CSV tag files. A bad line is reported with
 * its file, line and column and skipped; the good lines still count.
 *
 * <p>CSV columns: {@code name, nodeId, samplingInterval, deadband, access, min, max, unit,
 * description}; only the first two are required. The file is read by {@link TagTable}: quoted
 * fields, {@code ,} or {@code ;} as delimiter, a header line and {@code #} comment lines.
 */
final class TagListParser {

    static final String[] COLUMNS = {"name", "nodeId", "samplingInterval", "deadband", "access", "min", "max",
        "unit", "description"};

    /**
     * Until the server tells the node's data type, a tag travels as text, marked
     * {@link TagDefinition#TYPE_UNKNOWN} so that nothing is written to it.
     */
    static final DataType UNRESOLVED_TYPE = DataType.STRING;

    /** The tags that parsed and one message per line that did not. */
    record Result(List<OpcUaTag> tags, List<String> errors) {
    }

    private final Map<String, OpcUaTag> tags = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();

    Result result() {
        return new Result(List.copyOf(tags.values()), List.copyOf(errors));
    }

    /** Inline entries {@code name=nodeId}, separated by new lines or ';'. */
    void parseInline(String source, String text) {
        List<String> entries = new ArrayList<>();
        for (String line : text.split("\\R")) {
            for (String part : line.split(";")) {
                String p = part.trim();
                if (p.isEmpty()) {
                    continue;
                }
                if (!entries.isEmpty() && needsIdentifier(entries.get(entries.size() - 1)) && isNodeIdContinuation(p)) {
                    int last = entries.size() - 1;
                    entries.set(last, entries.get(last) + ";" + p);
                } else {
                    entries.add(p);
                }
            }
        }
        int n = 0;
        for (String entry : entries) {
            n++;
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                errors.add(source + " entry " + n + " '" + entry + "': expected name=nodeId");
                continue;
            }
            String name = entry.substring(0, eq).trim();
            String nodeId = entry.substring(eq + 1).trim();
            String where = source + " entry " + n + " (" + name + ")";
            if (!validNodeId(nodeId)) {
                errors.add(where + ": '" + nodeId + "' is not a node id (use ns=<index>;s=... or nsu=<uri>;s=...)");
                continue;
            }
            String nameProblem = TagTable.nameProblem(name);
            if (nameProblem != null) {
                errors.add(source + " entry " + n + ": " + nameProblem);
                continue;
            }
            add(where, new OpcUaTag(new TagDefinition(name, nodeId, UNRESOLVED_TYPE, Access.READ, "", "", null, null,
                    Map.of(TagDefinition.TYPE_UNKNOWN, "true")), null, null));
        }
    }

    /** An entry that so far ends with its namespace part ({@code ns=2} or {@code nsu=urn:x}). */
    private static boolean needsIdentifier(String entry) {
        return entry.matches("(?s)[^=]+=\\s*(ns|nsu)=[^;]*");
    }

    private static boolean isNodeIdContinuation(String p) {
        String l = p.toLowerCase(Locale.ROOT);
        return l.startsWith("s=") || l.startsWith("i=") || l.startsWith("g=") || l.startsWith("b=");
    }

    /** A CSV tag file's content; {@code file} is the name used in messages. */
    void parseCsv(String file, String content) {
        TagTable.Result table = TagTable.read(content);
        for (TagTable.Row row : table.rows()) {
            parseCsvLine(file, row.line(), row.cells());
        }
        table.skipped().forEach(line -> errors.add(file + " " + line));
        if (table.problem() != null) {
            errors.add(file + " " + table.problem());
        }
    }

    private void parseCsvLine(String file, int lineNo, List<String> cols) {
        String at = file + " line " + lineNo;
        if (cols.size() > COLUMNS.length) {
            errors.add(at + ": " + cols.size() + " columns, at most " + COLUMNS.length + " expected ("
                    + String.join(",", COLUMNS) + ")");
            return;
        }
        String name = col(cols, 0);
        if (name.isEmpty()) {
            errors.add(at + " column 1 (name): a tag name is required");
            return;
        }
        String nameProblem = TagTable.nameProblem(name);
        if (nameProblem != null) {
            errors.add(at + " column 1 (name): " + nameProblem);
            return;
        }
        String nodeId = col(cols, 1);
        if (!validNodeId(nodeId)) {
            errors.add(at + " column 2 (nodeId): '" + nodeId
                    + "' is not a node id (use ns=<index>;s=... or nsu=<uri>;s=...)");
            return;
        }
        try {
            Double sampling = number(at, cols, 2, 0, false);
            if (sampling != null && sampling < -1) {
                throw new IllegalArgumentException(at + " column 3 (samplingInterval): must be -1 or more");
            }
            Double deadband = number(at, cols, 3, 0, false);
            if (deadband != null && deadband < 0) {
                throw new IllegalArgumentException(at + " column 4 (deadband): must be 0 or more");
            }
            Access access;
            try {
                access = col(cols, 4).isEmpty() ? Access.READ : Access.parse(col(cols, 4));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + " column 5 (access): " + e.getMessage());
            }
            Double min = number(at, cols, 5, 0, true);
            Double max = number(at, cols, 6, 0, true);
            if (min != null && max != null && min > max) {
                throw new IllegalArgumentException(at + " column 6 (min): " + min + " is greater than max " + max);
            }
            Map<String, String> attributes = new HashMap<>();
            attributes.put(TagDefinition.TYPE_UNKNOWN, "true");
            if (sampling != null) {
                attributes.put("samplingInterval", col(cols, 2));
            }
            if (deadband != null) {
                attributes.put("deadband", col(cols, 3));
            }
            add(at, new OpcUaTag(new TagDefinition(name, nodeId, UNRESOLVED_TYPE, access, col(cols, 7), col(cols, 8),
                    min, max, attributes), sampling, deadband));
        } catch (IllegalArgumentException e) {
            errors.add(e.getMessage());
        }
    }

    private void add(String where, OpcUaTag tag) {
        if (tags.containsKey(tag.name())) {
            errors.add(where + ": tag name '" + tag.name() + "' is used twice");
            return;
        }
        tags.put(tag.name(), tag);
    }

    private static Double number(String at, List<String> cols, int index, double unused, boolean any) {
        String text = col(cols, index);
        if (text.isEmpty()) {
            return null;
        }
        try {
            double d = Double.parseDouble(text);
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(at + " column " + (index + 1) + " (" + COLUMNS[index] + "): '" + text
                    + "' is not a number");
        }
    }

    private static String col(List<String> cols, int index) {
        return index < cols.size() ? cols.get(index).trim() : "";
    }

    static boolean validNodeId(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        try {
            return ExpandedNodeId.parseOrNull(text.trim()) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
