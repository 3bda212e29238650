package org.fogwerk.connector.opcua.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.fogwerk.api.connector.BrowseNode;
import org.fogwerk.api.connector.spi.Connector;
import org.fogwerk.support.csv.TagTable;

/**
 * Turns the variables under a node into a tags CSV ready for {@code tags.file}: one line per
 * variable, named after its browse name (made unique), node ids with namespace URIs, access as
 * the server reports it.
 */
public final class TagExporter {

    /** Stops a runaway browse of a huge or cyclic address space. */
    static final int MAX_DEPTH = 8;
    static final int MAX_VARIABLES = 20_000;

    private TagExporter() {
    }

    public static CompletableFuture<List<String>> export(Connector connector, String nodeId) {
        List<String> lines = new ArrayList<>();
        lines.add(TagTable.line(TagListParser.COLUMNS));
        Set<String> names = new HashSet<>();
        Set<String> visited = new HashSet<>();
        return walk(connector, nodeId, "", 0, lines, names, visited).thenApply(v -> lines);
    }

    private static CompletableFuture<Void> walk(Connector c, String nodeId, String prefix, int depth,
            List<String> lines, Set<String> names, Set<String> visited) {
        if (depth > MAX_DEPTH || !visited.add(nodeId) || lines.size() > MAX_VARIABLES) {
            return CompletableFuture.completedFuture(null);
        }
        return c.browse(nodeId).toCompletableFuture().thenCompose(children -> {
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            for (BrowseNode n : children) {
                String bare = bareName(n.browseName());
                if ("Variable".equals(n.nodeClass())) {
                    String name = unique(names, prefix + bare);
                    String access = "rw".equals(n.accessLevel()) ? "rw" : "r";
                    lines.add(TagTable.line(name, n.nodeId(), "", "", access, "", "", "", n.dataType()));
                } else if (n.hasChildren()) {
                    String childPrefix = prefix + bare + ".";
                    chain = chain.thenCompose(v -> walk(c, n.nodeId(), childPrefix, depth + 1, lines, names, visited));
                }
            }
            return chain;
        });
    }

    /** {@code 2:Temperature} -> {@code Temperature}; characters a tag name should not have become '_'. */
    static String bareName(String browseName) {
        String s = browseName;
        int colon = s.indexOf(':');
        if (colon > 0 && s.substring(0, colon).chars().allMatch(Character::isDigit)) {
            s = s.substring(colon + 1);
        }
        s = s.replaceAll("[^A-Za-z0-9_.\\-]", "_");
        return s.isEmpty() ? "tag" : s;
    }

    private static String unique(Set<String> names, String name) {
        String n = name;
        for (int i = 2; !names.add(n); i++) {
            n = name + "_" + i;
        }
        return n;
    }
}
