package org.fogwerk.shadow.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.fogwerk.api.shadow.ShadowStore;

/** Opens and closes the real shadow store with its default limits, as its own tests do. */
public final class BenchStores {

    private BenchStores() {
    }

    public static ShadowStore open(Path dir) throws IOException {
        return new ShadowStoreImpl(new ShadowStoreImpl.Settings(dir, 8192, 6, 10_000, 0, 10_000));
    }

    public static void close(ShadowStore store) {
        ((ShadowStoreImpl) store).close();
    }

    public static Path file(Path dir) {
        return dir.resolve(StoreFile.FILE_NAME);
    }
}
