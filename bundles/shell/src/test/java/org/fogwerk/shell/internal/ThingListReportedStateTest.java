package org.fogwerk.shell.internal;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import org.fogwerk.api.registry.ReportedState;
import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.core.internal.ReportedStateWriter;
import org.fogwerk.core.standalone.StandaloneCore;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.testing.LargeMachine;
import org.fogwerk.testing.ShadowStores;
import org.fogwerk.testing.ShellConsole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** fogwerk:thing-list on a machine of 10,000 tags: its shadows, and why its reported state is not written. */
class ThingListReportedStateTest {

    @TempDir
    Path dir;

    private final ShellConsole console = new ShellConsole();
    private StandaloneCore node;
    private ShadowStoreImpl store;
    private ReportedState reported;

    /**
     * One large machine as the implicit thing of the core's real registries, its reported state
     * written into the real shadow store (8 KiB limit).
     *
     * @param shadowBytes the implicit thing's {@code implicit.shadow.bytes}; 0 for the default
     */
    private void start(LargeMachine machine, int shadowBytes) throws IOException {
        node = new StandaloneCore(Map.of(), shadowBytes);
        node.add(machine);
        node.addToThings(machine);
        store = ShadowStores.open(dir);
        ReportedStateWriter writer = node.reportedState(store, Map.of("report.interval", 50));
        writer.onValues(machine.initialValues());
        reported = writer;
    }

    @AfterEach
    void stop() {
        node.close();
        store.close();
    }

    private ThingListCommand list() {
        ThingListCommand list = new ThingListCommand();
        list.things = node.things();
        list.reported = reported;
        return list;
    }

    @Test
    void aLargeMachineIsReportedInSeveralShadowsWithoutError() throws Exception {
        start(new LargeMachine("press01", 10_000), 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> reported.writes() >= 99);
        String text = console.run(list());
        assertTrue(text.contains("(classic) + 98 named (tags-2 .. tags-99)"), text);
        assertTrue(text.contains("10000"), text);
        assertFalse(text.contains("not written"), text);

        ThingShowCommand show = new ThingShowCommand();
        show.things = node.things();
        show.bus = node.bus();
        show.name = "press01";
        text = console.run(show);
        assertTrue(text.contains("Shadow:     (classic) + 98 named (tags-2 .. tags-99)"), text);
        assertTrue(text.matches("(?s).*" + Pattern.quote(LargeMachine.tagName(9_999)) + ".*tags-99.*"), text);
    }

    @Test
    void aReportedStateTheStoreRefusesShowsWithItsReason() throws Exception {
        // planned for a shadow far larger than the store takes: every write of the whole state fails
        start(new LargeMachine("press01", 10_000), 1_000_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> !reported.failing().isEmpty());
        String text = console.run(list());
        assertTrue(text.matches("(?s).*press01.*reported state of \\(classic\\) not written \\(413, \\d+ times? since "
                + "[^)]*\\): The payload exceeds the maximum size allowed: state is \\d+ bytes, the limit is 8192 "
                + "bytes.*"), text);
    }

    @Test
    void shadowsTakenBackFromTheSnapshotAtStartAndEventsNotPassedOnAreCounted() throws Exception {
        start(new LargeMachine("press01", 10), 0);
        ThingListCommand list = list();
        String whole = console.run(list);
        assertFalse(whole.contains("snapshot") || whole.contains("not passed on"), "a whole store says nothing");
        list.store = (ShadowStore) Proxy.newProxyInstance(ShadowStore.class.getClassLoader(),
                new Class<?>[] {ShadowStore.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "restoredAtStart":
                            return 3;
                        case "droppedEvents":
                            return 42L;
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
        String text = console.run(list);
        assertTrue(text.contains("Shadow store: 3 shadow(s) taken back from its snapshot at start"), text);
        assertTrue(text.contains("Shadow store: 42 event(s) not passed on since start"), text);
    }
}
