package org.fogwerk.uplink.mqtt.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.ConnectorStatus;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.api.connector.spi.Connector;

/** A connection whose tags and state the test sets; records writes. */
public final class TestConnector implements Connector {

    private final String id;
    private final List<TagDefinition> tags = new CopyOnWriteArrayList<>();
    public final List<String> writes = new CopyOnWriteArrayList<>();
    private volatile ConnectorStatus status = ConnectorStatus.of(ConnectorState.CONNECTED, "");

    public TestConnector(String id, List<TagDefinition> tags) {
        this.id = id;
        this.tags.addAll(tags);
    }

    public void state(ConnectorState state) {
        status = status.to(state, state.name());
    }

    public void addTag(TagDefinition d) {
        tags.add(d);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String protocol() {
        return "test";
    }

    @Override
    public ConnectorStatus status() {
        return status;
    }

    @Override
    public List<TagDefinition> tags() {
        return List.copyOf(tags);
    }

    @Override
    public CompletionStage<TagValue> read(String tag) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("read"));
    }

    @Override
    public CompletionStage<WriteResult> write(String tag, Object value) {
        writes.add(tag + "=" + value);
        return CompletableFuture.completedFuture(WriteResult.done(id, tag));
    }
}
