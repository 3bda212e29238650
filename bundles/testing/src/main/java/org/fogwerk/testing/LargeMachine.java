package org.fogwerk.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.fogwerk.api.DataType;
import org.fogwerk.api.TagDefinition;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.connector.WriteResult;

/**
 * A connected machine with many read-only double tags ({@code Line1.Station007.Temperature0042}
 * style names, as PLC projects export them), and the burst of initial values a connector sends
 * for all of them when it comes up.
 */
public final class LargeMachine extends TestMachine {

    public LargeMachine(String id, int tagCount) {
        super(id, tags(tagCount));
    }

    private static List<TagDefinition> tags(int tagCount) {
        List<TagDefinition> list = new ArrayList<>(tagCount);
        for (int i = 0; i < tagCount; i++) {
            list.add(TagDefinition.readOnly(tagName(i), "ns=2;i=" + (1000 + i), DataType.DOUBLE));
        }
        return list;
    }

    /** The name of the tag at this position. */
    public static String tagName(int index) {
        return String.format("Line%d.Station%03d.Temperature%04d", index / 10_000 + 1, index / 100 % 100, index);
    }

    /** One value per tag, in tag order, as a connector sends them right after connecting. */
    public List<TagValue> initialValues() {
        List<TagDefinition> tags = tags();
        List<TagValue> values = new ArrayList<>(tags.size());
        for (int i = 0; i < tags.size(); i++) {
            values.add(TagValue.good(id(), tags.get(i).name(), 20.0 + i % 100 / 7.0));
        }
        return values;
    }

    @Override
    public CompletionStage<TagValue> read(String tag) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("a test machine is not read"));
    }

    @Override
    public CompletionStage<WriteResult> write(String tag, Object value) {
        return CompletableFuture.completedFuture(WriteResult.refused(id(), tag, "a test machine takes no writes"));
    }
}
