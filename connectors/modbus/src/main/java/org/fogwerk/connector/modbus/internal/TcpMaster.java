package org.fogwerk.connector.modbus.internal;

import java.net.InetAddress;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.ghgande.j2mod.modbus.ModbusIOException;
import com.ghgande.j2mod.modbus.facade.AbstractModbusMaster;
import com.ghgande.j2mod.modbus.io.AbstractModbusTransport;
import com.ghgande.j2mod.modbus.io.ModbusTCPTransaction;
import com.ghgande.j2mod.modbus.io.ModbusTCPTransport;
import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ModbusResponse;
import com.ghgande.j2mod.modbus.net.TCPMasterConnection;

/**
 * A Modbus TCP master that pairs each response with its request by the transaction identifier
 * of the MBAP header, as Modbus TCP intends. A gateway answers a request to a slow unit behind
 * it after the connection stopped waiting for it; that late answer then arrives while the
 * connection waits for the next request's answer, with another transaction id. It is passed
 * over and reading goes on until the matching answer or the timeout, so the slow unit's tags go
 * BAD and the gateway's other units stay GOOD on the same connection. Every request gets a
 * transaction id of its own (j2mod sends the request after a failed one with the failed one's
 * id, and the late answer would then pass for the next unit's).
 */
final class TcpMaster extends AbstractModbusMaster {

    private static final Logger LOG = LoggerFactory.getLogger(TcpMaster.class);

    private final String host;
    private final int port;
    private TCPMasterConnection connection;

    TcpMaster(String host, int port, int timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    @Override
    public synchronized void connect() throws Exception {
        if (isConnected()) {
            return;
        }
        TCPMasterConnection c = new TCPMasterConnection(InetAddress.getByName(host));
        c.setPort(port);
        c.setTimeout(timeout);
        MatchingTransport transport = new MatchingTransport();
        // a transport set before connecting is the one the connection uses, now and when j2mod reopens it
        c.setModbusTransport(transport);
        c.connect(false);
        transport.setMaster(c);
        connection = c;
        setTransaction(new ModbusTCPTransaction(c));
    }

    @Override
    public synchronized void disconnect() {
        if (isConnected()) {
            connection.close();
            setTransaction(null);
        }
    }

    @Override
    public synchronized void setTimeout(int timeout) {
        super.setTimeout(timeout);
        if (connection != null) {
            connection.setTimeout(timeout);
        }
    }

    @Override
    public AbstractModbusTransport getTransport() {
        TCPMasterConnection c = connection;
        return c == null ? null : c.getModbusTransport();
    }

    @Override
    public boolean isConnected() {
        TCPMasterConnection c = connection;
        return c != null && c.isConnected();
    }

    /** Modbus TCP framing that reads past answers to earlier requests. Used by one thread at a time. */
    static final class MatchingTransport extends ModbusTCPTransport {

        /** The transaction id of the request last written: 1 to 65535, then 1 again. */
        private int expected;

        @Override
        public void writeRequest(ModbusRequest request) throws ModbusIOException {
            expected = expected >= 0xFFFF ? 1 : expected + 1;
            request.setTransactionID(expected);
            super.writeRequest(request);
        }

        @Override
        public ModbusResponse readResponse() throws ModbusIOException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
            ModbusResponse r = super.readResponse();
            if (r.getTransactionID() == expected) {
                return r;
            }
            try {
                while (r.getTransactionID() != expected) {
                    LOG.debug("Modbus TCP {}: passed over a late response (transaction id {}, unit {}) while waiting"
                            + " for transaction id {}", socket.getRemoteSocketAddress(), r.getTransactionID(),
                            r.getUnitID(), expected);
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        // worded as j2mod words a timeout: the device did not answer this request in time
                        throw new ModbusIOException("Socket timeout reading response - only late responses to"
                                + " earlier requests arrived (transaction id %d, waiting for %d)",
                                r.getTransactionID(), expected);
                    }
                    setSocketTimeout((int) left);
                    r = super.readResponse();
                }
                return r;
            } finally {
                setSocketTimeout(timeout);
            }
        }

        private void setSocketTimeout(int millis) {
            try {
                socket.setSoTimeout(millis);
            } catch (SocketException e) {
                // the socket is closed: the next read fails and says so
            }
        }
    }
}
