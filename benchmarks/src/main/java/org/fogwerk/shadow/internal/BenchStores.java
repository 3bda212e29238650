package org.fogwerk.shadow.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.fogwerk.api.shadow.ShadowStore;
import org.fogwerk.testing.ShadowStores;

/** The real shadow store with its default limits, for the benchmarks that still open it by this name. */
public final class BenchStores {

    private BenchStores() {
    }

    public static ShadowStore open(Path dir) throws IOException {
        return ShadowStores.open(dir);
    }

    public static void close(ShadowStore store) {
        ((ShadowStoreImpl) store).close();
    }

    public static Path file(Path dir) {
        return ShadowStores.file(dir);
    }
}
