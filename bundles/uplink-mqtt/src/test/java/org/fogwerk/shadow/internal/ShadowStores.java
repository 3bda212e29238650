package org.fogwerk.shadow.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.fogwerk.api.shadow.ShadowListener;

/** The real shadow store for the uplink's tests, opened and listened to without OSGi. */
public final class ShadowStores {

    private ShadowStores() {
    }

    public static ShadowStoreImpl open(Path dir) throws IOException {
        return new ShadowStoreImpl(new ShadowStoreImpl.Settings(dir, 8192, 6, 10_000, 0, 10_000));
    }

    /** Registers a listener as the whiteboard would; returns how to unregister it. */
    public static Runnable listen(ShadowStoreImpl store, ShadowListener listener) {
        store.addListener(listener);
        return () -> store.removeListener(listener);
    }

    public static void close(ShadowStoreImpl store) {
        store.close();
    }
}
