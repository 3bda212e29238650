package org.fogwerk.shadow.internal;

import java.io.OutputStream;

/** Counts the bytes written to it and keeps none: the size of a document without a copy of it. */
final class ByteCount extends OutputStream {

    int bytes;

    @Override
    public void write(int b) {
        bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        bytes += len;
    }
}
