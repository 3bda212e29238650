package org.fogwerk.connector.modbus.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal Modbus TCP device, or gateway with units behind it, for what the simulator cannot
 * do: answer every request with an exception code, answer reads after a delay (of every unit, or
 * of one unit while the others answer at once), or not at all.
 */
final class FakeSlave implements AutoCloseable {

    private final ServerSocket server;
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    final AtomicInteger requests = new AtomicInteger();
    /** Connections taken since start. */
    final AtomicInteger accepted = new AtomicInteger();
    /** Answers held back by {@link #unitDelays}, counted as they are sent. */
    final AtomicInteger lateAnswers = new AtomicInteger();
    volatile int exceptionCode;
    volatile long delayMillis;
    /** A unit id behind this gateway that never answers (a dead device), or -1. */
    volatile int silentUnit = -1;
    /** A unit id that answers a read of holding registers (3) as one of input registers (4), or -1. */
    volatile int wrongFunctionUnit = -1;
    /** A unit id that answers a read with one register or bit fewer than asked, or -1. */
    volatile int shortUnit = -1;
    /** Per unit id: how long its answers take, while the gateway goes on taking requests for the others. */
    final Map<Integer, Long> unitDelays = new ConcurrentHashMap<>();
    /** Per unit id: the value of every register it answers with (0 when not set). */
    final Map<Integer, Integer> unitValues = new ConcurrentHashMap<>();

    FakeSlave() throws IOException {
        server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        executor.execute(this::serve);
    }

    int port() {
        return server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                accepted.incrementAndGet();
                DataInputStream in = new DataInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                while (true) {
                    int tid = in.readUnsignedShort();
                    in.readUnsignedShort();
                    int len = in.readUnsignedShort();
                    int unit = in.readUnsignedByte();
                    byte[] pdu = new byte[len - 1];
                    in.readFully(pdu);
                    requests.incrementAndGet();
                    byte[] response = respond(tid, unit, pdu);
                    if (unit == silentUnit) {
                        continue;
                    }
                    long unitDelay = unitDelays.getOrDefault(unit, 0L);
                    if (unitDelay > 0) {
                        executor.schedule(() -> {
                            lateAnswers.incrementAndGet();
                            send(out, response);
                        }, unitDelay, TimeUnit.MILLISECONDS);
                    } else if (delayMillis > 0) {
                        executor.schedule(() -> send(out, response), delayMillis, TimeUnit.MILLISECONDS);
                    } else {
                        send(out, response);
                    }
                }
            } catch (IOException e) {
                // client gone or closed: accept the next one
            }
        }
    }

    private static void send(OutputStream out, byte[] response) {
        try {
            synchronized (out) {
                out.write(response);
                out.flush();
            }
        } catch (IOException e) {
            // client gone
        }
    }

    private byte[] respond(int tid, int unit, byte[] pdu) {
        int fc = pdu[0] & 0xFF;
        int code = exceptionCode;
        if (code != 0) {
            return new byte[] {(byte) (tid >> 8), (byte) tid, 0, 0, 0, 3, (byte) unit, (byte) (fc | 0x80),
                (byte) code};
        }
        int count = (((pdu[3] & 0xFF) << 8) | (pdu[4] & 0xFF)) - (unit == shortUnit ? 1 : 0);
        int bytes = fc <= 2 ? (count + 7) / 8 : count * 2;
        byte[] r = new byte[9 + bytes];
        r[0] = (byte) (tid >> 8);
        r[1] = (byte) tid;
        r[4] = (byte) ((3 + bytes) >> 8);
        r[5] = (byte) (3 + bytes);
        r[6] = (byte) unit;
        r[7] = (byte) (fc == 3 && unit == wrongFunctionUnit ? 4 : fc);
        r[8] = (byte) bytes;
        int value = fc <= 2 ? 0 : unitValues.getOrDefault(unit, 0);
        for (int i = 9; i + 1 < r.length; i += 2) {
            r[i] = (byte) (value >> 8);
            r[i + 1] = (byte) value;
        }
        return r;
    }

    @Override
    public void close() throws IOException {
        server.close();
        executor.shutdownNow();
    }
}
