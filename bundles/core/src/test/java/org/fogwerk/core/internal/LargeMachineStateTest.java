package org.fogwerk.core.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.fogwerk.api.TagValue;
import org.fogwerk.api.registry.ReportedState.Failure;
import org.fogwerk.api.registry.ThingRegistry.Target;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.testing.LargeMachine;
import org.fogwerk.testing.ShadowStores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.util.converter.Converters;

/** A machine of 10,000 tags as an implicit thing, against the real shadow store with its 8 KiB limit. */
class LargeMachineStateTest {

    @TempDir
    Path dir;

    private final TagBusImpl bus = new TagBusImpl(Converters.standardConverter().convert(Map.of())
            .to(TagBusConfig.class));
    private final ConnectorRegistryImpl connectors = new ConnectorRegistryImpl(bus);
    private final LargeMachine machine = new LargeMachine("press01", 10_000);
    private ShadowStoreImpl store;
    private ReportedStateWriter writer;

    @AfterEach
    void stop() throws Exception {
        if (writer != null) {
            writer.deactivate();
        }
        if (store != null) {
            store.close();
        }
        connectors.deactivate();
        bus.deactivate();
    }

    private ThingRegistryImpl things(int budget) throws Exception {
        connectors.addConnector(machine);
        ThingRegistryImpl things = new ThingRegistryImpl(connectors, "{connection}", "", budget);
        things.addConnector(machine);
        store = ShadowStores.open(dir);
        writer = new ReportedStateWriter(things, store, Converters.standardConverter()
                .convert(Map.of("report.interval", 50)).to(ReportedStateConfig.class));
        return things;
    }

    @Test
    void everyTagOfA10000TagMachineIsReportedWithTheDefaultLimits() throws Exception {
        ThingRegistryImpl things = things(ImplicitShadows.DEFAULT_BUDGET);
        List<TagValue> values = machine.initialValues();
        writer.onValues(values);

        Set<String> shadows = new HashSet<>();
        for (TagValue v : values) {
            List<Target> targets = things.targets("press01", v.tag());
            assertEquals(1, targets.size());
            assertEquals("press01", targets.get(0).thing());
            assertEquals(v.tag(), targets.get(0).field());
            shadows.add(targets.get(0).shadow());
        }
        assertTrue(shadows.contains("") && shadows.contains("tags-2") && shadows.size() > 50, shadows.toString());
        assertEquals("", things.targets("press01", LargeMachine.tagName(0)).get(0).shadow(), "the first tags stay classic");

        await().atMost(Duration.ofSeconds(30)).until(() -> unreported(things, values) == 0);
        assertEquals(0, writer.failedWrites());
        assertEquals(List.of(), writer.failing());
    }

    @Test
    void aStateOverTheLimitIsKeptAsTheShadowsFailureUntilAWriteSucceeds() throws Exception {
        ThingRegistryImpl things = things(1_000_000); // everything planned into the classic shadow
        writer.onValues(machine.initialValues());

        await().atMost(Duration.ofSeconds(10)).until(() -> !writer.failing().isEmpty());
        Failure f = writer.failing().get(0);
        assertEquals("press01", f.thing());
        assertEquals("", f.shadow());
        assertEquals(413, f.code());
        assertTrue(f.reason().contains("the limit is 8192"), f.reason());
        assertTrue(writer.failedWrites() >= 1);
        assertTrue(things.targets("press01", LargeMachine.tagName(9_999)).get(0).shadow().isEmpty());
        assertTrue(unreported(things, machine.initialValues()) > 0);

        long written = writer.writes();
        writer.onValues(List.of(TagValue.good("press01", LargeMachine.tagName(0), 1.5)));
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.failing().isEmpty());
        assertEquals(written + 1, writer.writes());
    }

    /** How many of the values are not (yet) in the reported state of the shadow their tag feeds. */
    private long unreported(ThingRegistryImpl things, List<TagValue> values) throws ShadowException {
        Map<String, ShadowDocument> docs = new HashMap<>();
        long missing = 0;
        for (TagValue v : values) {
            String shadow = things.targets("press01", v.tag()).get(0).shadow();
            ShadowDocument doc = docs.get(shadow);
            if (doc == null) {
                try {
                    doc = store.get("press01", shadow);
                } catch (ShadowException e) {
                    if (e.code() != 404) {
                        throw e;
                    }
                    missing++;
                    continue;
                }
                docs.put(shadow, doc);
            }
            if (!v.value().equals(JsonValues.get(doc.reported(), v.tag()))) {
                missing++;
            }
        }
        return missing;
    }

    @Test
    void aShadowSizeOutsideItsRangeInTheFileIsTheDefault() {
        assertEquals(6144, ThingRegistryImpl.budget(-5));
        assertEquals(6144, ThingRegistryImpl.budget(100_000));
        assertEquals(4096, ThingRegistryImpl.budget(4096));
    }
}
