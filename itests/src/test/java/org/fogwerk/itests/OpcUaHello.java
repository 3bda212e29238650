package org.fogwerk.itests;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Says Hello to an OPC UA server over opc.tcp (OPC UA part 6, 7.1.2) and returns the type of
 * its answer: {@code ACK} from a working server. Proves the server speaks OPC UA without
 * needing a client SDK in the container.
 */
final class OpcUaHello {

    private OpcUaHello() {
    }

    static String hello(String host, int port, String endpointUrl) throws IOException {
        byte[] url = endpointUrl.getBytes(StandardCharsets.UTF_8);
        int size = 8 + 20 + 4 + url.length;
        ByteBuffer hello = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        hello.put("HELF".getBytes(StandardCharsets.US_ASCII));
        hello.putInt(size);
        hello.putInt(0); // protocol version
        hello.putInt(65_536); // receive buffer size
        hello.putInt(65_536); // send buffer size
        hello.putInt(0); // max message size: no limit
        hello.putInt(0); // max chunk count: no limit
        hello.putInt(url.length);
        hello.put(url);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(hello.array());
            out.flush();
            byte[] header = new byte[3];
            new DataInputStream(socket.getInputStream()).readFully(header);
            return new String(header, StandardCharsets.US_ASCII);
        }
    }
}
