package org.fogwerk.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.fogwerk.api.Access;
import org.fogwerk.api.DataType;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.ConnectorState;
import org.fogwerk.api.connector.ConnectorStatus;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.api.connector.spi.Connector;

/**
 * A connected machine whose tags the test chooses (by default a press: a writable speed of
 * 0..3000 rpm and a read-only temperature). Every read answers 1; writes are recorded, or fail
 * with the reason the test sets.
 */
public class TestMachine implements Connector {

    /** The press's tags: {@code speed} (Modbus 40001, INT16, 0..3000 rpm, writable), {@code temperature} (30001, FLOAT). */
    public static final List<TagDefinition> PRESS_TAGS = List.of(
            new TagDefinition("speed", "40001", DataType.INT16, Access.READ_WRITE, "rpm", "", 0.0, 3000.0, Map.of()),
            TagDefinition.readOnly("temperature", "30001", DataType.FLOAT));

    private final String id;
    private final List<TagDefinition> tags;
    /** The values written, in order. */
    public final List<Object> written = new CopyOnWriteArrayList<>();
    /** What {@link #status()} answers. */
    public volatile ConnectorStatus status = ConnectorStatus.of(ConnectorState.CONNECTED, "");
    /** When set, the machine fails every write with this reason. */
    public volatile String failWith;

    /**
     * A machine whose set points come last in its tag list: {@code readings} read-only doubles
     * {@code temp0, temp1, ...}, then the writable int16 set points {@code setA} and {@code setB}
     * (0..100).
     */
    public static TestMachine withSetPointsLast(String id, int readings) {
        List<TagDefinition> tags = new ArrayList<>();
        for (int i = 0; i < readings; i++) {
            tags.add(TagDefinition.readOnly("temp" + i, "3000" + i, DataType.DOUBLE));
        }
        tags.add(new TagDefinition("setA", "40001", DataType.INT16, Access.READ_WRITE, "", "", 0.0, 100.0, Map.of()));
        tags.add(new TagDefinition("setB", "40002", DataType.INT16, Access.READ_WRITE, "", "", 0.0, 100.0, Map.of()));
        return new TestMachine(id, tags);
    }

    /** A press. */
    public TestMachine(String id) {
        this(id, PRESS_TAGS);
    }

    public TestMachine(String id, List<TagDefinition> tags) {
        this.id = id;
        this.tags = List.copyOf(tags);
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
        return tags;
    }

    @Override
    public CompletionStage<TagValue> read(String tag) {
        return CompletableFuture.completedFuture(TagValue.good(id, tag, 1L));
    }

    @Override
    public CompletionStage<WriteResult> write(String tag, Object value) {
        String failure = failWith;
        if (failure != null) {
            return CompletableFuture.completedFuture(WriteResult.failed(id, tag, failure));
        }
        written.add(value);
        return CompletableFuture.completedFuture(WriteResult.done(id, tag));
    }
}
