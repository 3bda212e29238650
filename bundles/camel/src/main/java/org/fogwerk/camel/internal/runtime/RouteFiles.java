package org.fogwerk.camel.internal.runtime;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.CamelContext;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.Route;
import org.apache.camel.model.FromDefinition;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.OptionalIdentifiedDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RoutesDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.util.ObjectHelper;
import org.apache.camel.xml.in.ModelParser;
import org.apache.camel.xml.io.XmlPullParserException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route files of a folder ({@code etc/routes/*.xml}, Camel XML DSL), each loaded on its own:
 * a file is read only once its size and time stayed the same for one scan, parsed completely and
 * its endpoints resolved before its old routes are replaced; when the new version fails, the old
 * routes are put back and the error (file, line, reason) is kept for {@code fogwerk:route-list}.
 * A deleted file's routes are stopped and removed. All work happens on the caller's (one) thread.
 */
final class RouteFiles {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFiles.class);
    static final String CAMEL_NAMESPACE = "http://camel.apache.org/schema/spring";

    /** What is known of one file. */
    static final class FileState {
        final Path path;
        long seenSize = -1;
        long seenTime = -1;
        long appliedSize = -1;
        long appliedTime = -1;
        byte[] loaded;
        volatile List<String> routeIds = List.of();
        volatile Map<String, Integer> routeLines = Map.of();
        volatile String error = "";
        long lastAttempt;
        List<RouteDefinition> definitions = List.of();

        FileState(Path path) {
            this.path = path;
        }
    }

    private final ModelCamelContext context;
    private final Path dir;
    private final RouteStats stats;
    private final Path home;
    private final Map<Path, FileState> files = new ConcurrentHashMap<>();
    private boolean firstScan = true;
    /** How long a file that failed waits before it is tried again unchanged. */
    long retryMillis = 5000;

    RouteFiles(CamelContext context, Path dir, RouteStats stats) {
        this(context, dir, stats, null);
    }

    /** With {@code home}, files under it are named relative to it ({@code etc/routes/orders.xml}). */
    RouteFiles(CamelContext context, Path dir, RouteStats stats, Path home) {
        this.context = (ModelCamelContext) context;
        this.dir = dir;
        this.stats = stats;
        this.home = home == null ? null : home.toAbsolutePath().normalize();
    }

    /** How messages and fogwerk:route-list name a file. */
    String name(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        return home != null && absolute.startsWith(home) ? home.relativize(absolute).toString() : file.toString();
    }

    Path dir() {
        return dir;
    }

    /** The files now known, sorted by name. */
    List<FileState> files() {
        return new ArrayList<>(new TreeMap<>(files).values());
    }

    /** Looks at the folder once; loads what changed and is stable, drops what is gone. */
    void scan() {
        long now = System.currentTimeMillis();
        // in the order of the names: at every start the same file of two with one route id wins
        Set<Path> present = new TreeSet<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.xml")) {
                for (Path p : stream) {
                    if (!p.getFileName().toString().startsWith(".")) {
                        present.add(p);
                    }
                }
            } catch (IOException e) {
                LOG.warn("Route files: cannot list {}: {}", dir, e.toString());
                return;
            }
        }
        for (FileState gone : new ArrayList<>(files.values())) {
            if (!present.contains(gone.path)) {
                unload(gone);
                files.remove(gone.path);
            }
        }
        for (Path p : present) {
            FileState st = files.computeIfAbsent(p, FileState::new);
            BasicFileAttributes attrs;
            try {
                attrs = Files.readAttributes(p, BasicFileAttributes.class);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                LOG.warn("Route file {}: cannot read: {}", name(p), e.toString());
                continue;
            }
            long size = attrs.size();
            long time = attrs.lastModifiedTime().toMillis();
            boolean stable = firstScan || (size == st.seenSize && time == st.seenTime);
            st.seenSize = size;
            st.seenTime = time;
            boolean changed = size != st.appliedSize || time != st.appliedTime;
            // a failed file is tried again now and then: what it needs (a DataSource, a component
            // of a feature installed later) may have come since. Not while its previous version
            // runs: each try would stop those routes, start the new ones for a moment and start
            // the old ones again; such a file waits for its next edit
            boolean retry = !changed && !st.error.isEmpty() && st.routeIds.isEmpty()
                    && now - st.lastAttempt >= retryMillis;
            if (stable && (changed || retry)) {
                try {
                    byte[] content = Files.readAllBytes(p);
                    st.appliedSize = size;
                    st.appliedTime = time;
                    st.lastAttempt = now;
                    if (!Arrays.equals(content, st.loaded) || !st.error.isEmpty()) {
                        load(st, content);
                    }
                } catch (NoSuchFileException e) {
                    // deleted while we looked: the next scan unloads it
                } catch (IOException e) {
                    LOG.warn("Route file {}: cannot read: {}", name(p), e.toString());
                }
            }
        }
        firstScan = false;
    }

    /** Stops and removes the routes of every file (when the node stops). */
    void unloadAll() {
        for (FileState st : files.values()) {
            unload(st);
        }
        files.clear();
    }

    private void unload(FileState st) {
        if (!st.definitions.isEmpty()) {
            try {
                context.removeRouteDefinitions(st.definitions);
                LOG.info("Route file {} is gone: removed routes {}", name(st.path), st.routeIds);
            } catch (Exception e) {
                LOG.warn("Route file {} is gone; removing its routes {} failed: {}", name(st.path), st.routeIds, e.toString());
            }
            st.routeIds.forEach(stats::forget);
        }
        st.definitions = List.of();
        st.routeIds = List.of();
    }

    private void load(FileState st, byte[] content) {
        String location = name(st.path);
        List<RouteDefinition> fresh;
        try {
            fresh = parse(st.path, content, st.routeIds);
            for (RouteDefinition r : fresh) {
                checkEndpoints(location, r);
            }
        } catch (RouteFileException e) {
            fail(st, e.getMessage(), content);
            return;
        }
        List<RouteDefinition> old = st.definitions;
        try {
            Set<String> staying = new HashSet<>();
            fresh.forEach(r -> staying.add(r.getRouteId()));
            for (String id : st.routeIds) {
                if (staying.contains(id)) {
                    Route route = context.getRoute(id);
                    stats.reloading(id, route == null ? 0 : RouteRows.overflow(route.getConsumer()));
                } else {
                    stats.forget(id);
                }
            }
            if (!old.isEmpty()) {
                context.removeRouteDefinitions(old);
            }
            List<String> ids = new ArrayList<>();
            Map<String, Integer> lines = new TreeMap<>();
            for (RouteDefinition r : fresh) {
                ids.add(r.getRouteId());
                lines.put(r.getRouteId(), r.getLineNumber());
                stats.located(r.getRouteId(), location);
            }
            context.addRouteDefinitions(fresh);
            st.definitions = fresh;
            st.routeIds = List.copyOf(ids);
            st.routeLines = Map.copyOf(lines);
            st.loaded = content;
            st.error = "";
            LOG.info("Route file {}: {} route(s) started: {}", location, ids.size(), ids);
        } catch (Exception e) {
            String reason = location + ":" + lineOf(e, fresh) + ": " + reason(e);
            try {
                context.removeRouteDefinitions(fresh);
            } catch (Exception ignored) {
                // some of them never got in; the rest are gone now
            }
            restore(st, old);
            fail(st, reason, content);
        }
    }

    /** Puts the routes of the last good version back after a new version failed to start. */
    private void restore(FileState st, List<RouteDefinition> old) {
        if (old.isEmpty() || st.loaded == null) {
            st.definitions = List.of();
            st.routeIds = List.of();
            return;
        }
        try {
            List<RouteDefinition> again = parse(st.path, st.loaded, st.routeIds);
            context.addRouteDefinitions(again);
            st.definitions = again;
            for (RouteDefinition r : again) {
                stats.located(r.getRouteId(), name(st.path));
            }
        } catch (Exception e) {
            LOG.error("Route file {}: the previous routes could not be restarted either: {}", name(st.path), reason(e));
            st.definitions = List.of();
            st.routeIds = List.of();
        }
    }

    private void fail(FileState st, String reason, byte[] content) {
        boolean repeated = reason.equals(st.error);
        st.error = reason;
        if (repeated) {
            return;
        }
        LOG.error("Route file {} not loaded{}: {}", name(st.path),
                st.routeIds.isEmpty() ? "" : " (its previous routes " + st.routeIds + " keep running)", reason);
    }

    private List<RouteDefinition> parse(Path path, byte[] content, List<String> ownIds) throws RouteFileException {
        String location = name(path);
        RoutesDefinition routes = parse(location, content, CAMEL_NAMESPACE);
        if (routes == null) {
            // the same file without the namespace declaration
            routes = parse(location, content, "");
        }
        if (routes == null || routes.getRoutes().isEmpty()) {
            throw new RouteFileException(location + ":1: holds no routes: expected <routes xmlns=\"" + CAMEL_NAMESPACE
                    + "\"><route>...</route></routes> or a single <route>");
        }
        String stem = path.getFileName().toString().replaceFirst("\\.xml$", "");
        Set<String> ids = new HashSet<>();
        List<RouteDefinition> list = routes.getRoutes();
        for (int i = 0; i < list.size(); i++) {
            RouteDefinition r = list.get(i);
            if (r.getId() == null || r.getId().isBlank()) {
                r.setId(list.size() == 1 ? stem : stem + "-" + (i + 1));
            }
            String id = r.getId();
            if (!ids.add(id)) {
                throw new RouteFileException(location + ":" + r.getLineNumber() + ": route id '" + id
                        + "' is used twice in this file");
            }
            if (context.getRoute(id) != null && !ownIds.contains(id)) {
                throw new RouteFileException(location + ":" + r.getLineNumber() + ": route id '" + id
                        + "' is already used by another route file or bundle");
            }
        }
        return list;
    }

    private static RoutesDefinition parse(String location, byte[] content, String namespace) throws RouteFileException {
        LineAwareParser parser = null;
        try {
            parser = new LineAwareParser(ResourceHelper.fromBytes("file:" + location, content), namespace);
            return parser.parseRoutesDefinition().orElse(null);
        } catch (XmlPullParserException e) {
            int line = e.getLineNumber() > 0 ? e.getLineNumber() : parser == null ? 1 : parser.line();
            throw new RouteFileException(location + ":" + line + ": " + xmlReason(e));
        } catch (IOException | RuntimeException e) {
            throw new RouteFileException(location + ":" + (parser == null ? 1 : parser.line()) + ": " + reason(e));
        }
    }

    /** The XML DSL parser, telling where it stopped when it refuses an element or attribute. */
    private static final class LineAwareParser extends ModelParser {
        LineAwareParser(org.apache.camel.spi.Resource resource, String namespace)
                throws IOException, XmlPullParserException {
            super(resource, namespace);
        }

        int line() {
            return Math.max(parser.getLineNumber(), 1);
        }
    }

    private void checkEndpoints(String location, RouteDefinition route) throws RouteFileException {
        FromDefinition from = route.getInput();
        if (from == null) {
            throw new RouteFileException(location + ":" + route.getLineNumber() + ": route '" + route.getId()
                    + "' has no <from>");
        }
        resolve(location, from.getEndpointUri(), from);
        checkOutputs(location, route.getOutputs());
    }

    private void checkOutputs(String location, List<ProcessorDefinition<?>> outputs) throws RouteFileException {
        for (ProcessorDefinition<?> p : outputs) {
            if (p instanceof SendDefinition) {
                resolve(location, ((SendDefinition<?>) p).getEndpointUri(), p);
            }
            checkOutputs(location, p.getOutputs());
        }
    }

    private void resolve(String location, String uri, OptionalIdentifiedDefinition<?> node) throws RouteFileException {
        if (uri == null) {
            return;
        }
        try {
            context.getEndpoint(uri);
        } catch (RuntimeException e) {
            throw new RouteFileException(location + ":" + node.getLineNumber() + ": endpoint '" + uri + "': "
                    + reason(e));
        }
    }

    /** The line of the node Camel names in a "Failed to create route ... at: >>> node <<<" error, else the route's. */
    private static int lineOf(Exception e, List<RouteDefinition> routes) {
        FailedToCreateRouteException failed = ObjectHelper.getException(FailedToCreateRouteException.class, e);
        if (failed == null) {
            // a route that could be made but not started: its own line
            FailedToStartRouteException start = ObjectHelper.getException(FailedToStartRouteException.class, e);
            return routes.stream().filter(r -> start != null && r.getRouteId() != null
                    && r.getRouteId().equals(start.getRouteId())).findFirst()
                    .map(RouteDefinition::getLineNumber).orElse(routes.isEmpty() ? 1 : routes.get(0).getLineNumber());
        }
        String msg = String.valueOf(failed.getMessage());
        int start = msg.indexOf(">>> ");
        int end = msg.indexOf(" <<<");
        for (RouteDefinition r : routes) {
            if (failed.getRouteId() != null && failed.getRouteId().equals(r.getRouteId())) {
                if (start >= 0 && end > start) {
                    int line = findLine(r.getOutputs(), msg.substring(start + 4, end));
                    if (line > 0) {
                        return line;
                    }
                }
                return r.getLineNumber();
            }
        }
        return routes.isEmpty() ? 1 : routes.get(0).getLineNumber();
    }

    private static int findLine(List<ProcessorDefinition<?>> outputs, String text) {
        for (ProcessorDefinition<?> p : outputs) {
            if (text.equals(p.toString())) {
                return p.getLineNumber();
            }
            int inner = findLine(p.getOutputs(), text);
            if (inner > 0) {
                return inner;
            }
        }
        return -1;
    }

    private static String xmlReason(XmlPullParserException e) {
        String msg = String.valueOf(e.getMessage());
        int cut = msg.indexOf(" (position:");
        return cut > 0 ? msg.substring(0, cut) : msg;
    }

    static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root instanceof NumberFormatException ? "not a number"
                : root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        // an endpoint option Camel could not set: its name and value, then why
        PropertyBindingException binding = ObjectHelper.getException(PropertyBindingException.class, e);
        if (binding != null && binding != root && binding.getPropertyName() != null) {
            return "option '" + binding.getPropertyName() + "' = '" + binding.getValue() + "': " + msg;
        }
        return msg;
    }

    /** A file that cannot become routes; the message names file, line and reason. */
    static final class RouteFileException extends Exception {
        private static final long serialVersionUID = 1L;

        RouteFileException(String message) {
            super(message);
        }
    }
}
