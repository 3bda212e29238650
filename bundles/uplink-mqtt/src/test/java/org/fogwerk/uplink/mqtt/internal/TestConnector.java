package org.fogwerk.uplink.mqtt.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.testing.TestMachine;

/** The test machine with a state the test sets and tags it can gain, recording each write as {@code tag=value}. */
public final class TestConnector extends TestMachine {

    public final List<String> writes = new CopyOnWriteArrayList<>();
    private final List<TagDefinition> added = new CopyOnWriteArrayList<>();
    private final Map<String, TagDefinition> redefined = new ConcurrentHashMap<>();

    public TestConnector(String id, List<TagDefinition> tags) {
        super(id, tags);
    }

    public void state(ConnectorState state) {
        status = status.to(state, state.name());
    }

    /** A tag the connection gains while it runs. */
    public void addTag(TagDefinition d) {
        added.add(d);
    }

    /** A tag's definition changes, as when the connection learns its type from the machine. */
    public void redefine(TagDefinition d) {
        redefined.put(d.name(), d);
    }

    @Override
    public List<TagDefinition> tags() {
        List<TagDefinition> all = new ArrayList<>();
        super.tags().forEach(d -> all.add(redefined.getOrDefault(d.name(), d)));
        all.addAll(added);
        return List.copyOf(all);
    }

    @Override
    public CompletionStage<WriteResult> write(String tag, Object value) {
        writes.add(tag + "=" + value);
        return super.write(tag, value);
    }
}
