package org.fogwerk.uplink.mqtt.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Sockets with TCP_NODELAY. A shadow answer follows the PUBACK of its request at once; with
 * Nagle's algorithm the answer waits for the broker to acknowledge the PUBACK, which a delayed
 * ACK holds back some 40 ms. Request and answer round trips are what shadow sync is made of.
 */
public final class NoDelaySockets {

    private NoDelaySockets() {
    }

    /** {@code factory} (the default factory when {@code null}) with TCP_NODELAY on every socket. */
    public static SocketFactory wrap(SocketFactory factory) {
        if (factory instanceof Plain || factory instanceof Tls) {
            return factory;
        }
        if (factory instanceof SSLSocketFactory ssl) {
            return new Tls(ssl);
        }
        return new Plain(factory == null ? SocketFactory.getDefault() : factory);
    }

    private static Socket noDelay(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return s;
    }

    private static final class Plain extends SocketFactory {
        private final SocketFactory d;

        Plain(SocketFactory d) {
            this.d = d;
        }

        @Override
        public Socket createSocket() throws IOException {
            return noDelay(d.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return noDelay(d.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return noDelay(d.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return noDelay(d.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return noDelay(d.createSocket(address, port, localAddress, localPort));
        }
    }

    /**
     * TLS sockets with TCP_NODELAY: the sockets it connects itself come from {@link Plain} over the
     * same factory; only layering over an open socket is its own.
     */
    private static final class Tls extends SSLSocketFactory {
        private final SSLSocketFactory d;
        private final Plain plain;

        Tls(SSLSocketFactory d) {
            this.d = d;
            this.plain = new Plain(d);
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return d.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return d.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return plain.createSocket();
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return noDelay(d.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return plain.createSocket(host, port);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return plain.createSocket(host, port, localHost, localPort);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return plain.createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return plain.createSocket(address, port, localAddress, localPort);
        }
    }
}
