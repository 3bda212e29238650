package org.fogwerk.camel.internal.edge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class GzipTest {

    @Test
    void compressesToGzipThatInflatesToTheSameBytes() throws IOException {
        byte[] data = "{\"tag\":\"temperature\",\"value\":21.5}\n".repeat(300).getBytes(StandardCharsets.UTF_8);
        byte[] gz = Gzip.compress(data, 6);
        assertEquals((byte) 0x1f, gz[0]);
        assertEquals((byte) 0x8b, gz[1]);
        assertEquals(8, gz[2], "deflate");
        assertTrue(gz.length < data.length / 20, gz.length + " bytes from " + data.length);
        assertArrayEquals(data, Gzip.decompress(gz));
    }

    @Test
    void everyLevelAndEmptyInput() throws IOException {
        byte[] data = new byte[5000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31 % 7);
        }
        for (int level = 1; level <= 9; level++) {
            assertArrayEquals(data, Gzip.decompress(Gzip.compress(data, level)));
        }
        assertArrayEquals(new byte[0], Gzip.decompress(Gzip.compress(new byte[0], 6)));
    }
}
