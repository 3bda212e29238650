package org.fogwerk.shadow.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.fogwerk.api.shadow.ShadowListener;

/** The real shadow store in a folder, for tests of other modules (its settings and listener binding are package-private). */
public final class ShadowStoreFixture implements AutoCloseable {

    public final ShadowStoreImpl store;

    public ShadowStoreFixture(Path dir) throws IOException {
        store = new ShadowStoreImpl(new ShadowStoreImpl.Settings(dir, 8192, 6, 1000, 0, 1000));
    }

    public void addListener(ShadowListener listener) {
        store.addListener(listener);
    }

    public void removeListener(ShadowListener listener) {
        store.removeListener(listener);
    }

    @Override
    public void close() {
        store.deactivate();
    }
}
