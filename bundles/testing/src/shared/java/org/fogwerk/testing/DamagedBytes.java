package org.fogwerk.testing;

import java.util.Arrays;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/** Messages as a bad link or a buggy client hands them over, for the property tests (jqwik) of what reads them. */
public final class DamagedBytes {

    private DamagedBytes() {
    }

    /** Each message cut at a random length, from nothing to whole. */
    public static Arbitrary<byte[]> cut(Arbitrary<byte[]> whole) {
        return whole.flatMap(b -> Arbitraries.integers().between(0, b.length).map(n -> Arrays.copyOf(b, n)));
    }

    /** Each message with one byte at a random place changed by {@code mask} (xor); an empty one as it is. */
    public static Arbitrary<byte[]> flipped(Arbitrary<byte[]> whole, byte mask) {
        return whole.flatMap(b -> Arbitraries.integers().between(0, Math.max(0, b.length - 1)).map(at -> {
            byte[] copy = b.clone();
            if (copy.length > 0) {
                copy[at] ^= mask;
            }
            return copy;
        }));
    }
}
