package org.fogwerk.testing;

import java.io.IOException;
import java.nio.file.Path;

import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowListener;
import org.fogwerk.shadow.internal.ShadowStoreImpl;
import org.fogwerk.shadow.internal.StoreFile;

/** The node's real, durable shadow store, opened in a folder of the test's without OSGi. */
public final class ShadowStores {

    private ShadowStores() {
    }

    /** The store with the shipped limits (8 KiB state, depth 6) and commits as soon as possible. */
    public static ShadowStoreImpl open(Path dir) throws IOException {
        return open(dir, 10_000);
    }

    /** The same, with room for {@code queue} updates in flight and as many events waiting for listeners. */
    public static ShadowStoreImpl open(Path dir, int queue) throws IOException {
        return new ShadowStoreImpl(new ShadowStoreImpl.Settings(dir, 8192, 6, queue, 0, queue));
    }

    /** The store's file in {@code dir}. */
    public static Path file(Path dir) {
        return dir.resolve(StoreFile.FILE_NAME);
    }

    /**
     * Reads every shadow of the store once.
     *
     * @return how many there are
     * @throws IllegalStateException when one reads without a version
     */
    public static int readEvery(ShadowStoreImpl store) throws ShadowException {
        int n = 0;
        for (String thing : store.things()) {
            for (String shadow : store.shadows(thing)) {
                if (store.get(thing, shadow.isEmpty() ? null : shadow).version() < 1) {
                    throw new IllegalStateException("shadow " + thing + "/" + shadow + " reads without a version");
                }
                n++;
            }
        }
        return n;
    }

    /** Registers a listener as the whiteboard would; returns how to unregister it. */
    public static Runnable listen(ShadowStoreImpl store, ShadowListener listener) {
        store.addListener(listener);
        return () -> store.removeListener(listener);
    }
}
