package org.fogwerk.connector.modbus.internal;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.ghgande.j2mod.modbus.ModbusSlaveException;

/**
 * Turns what j2mod and the socket layer throw into one sentence an integrator understands.
 * j2mod wraps the cause's message into its own ("Socket timeout reading response - null"), so
 * the chain is read for what happened, not printed.
 */
final class ModbusReasons {

    private ModbusReasons() {
    }

    static final String TIMEOUT = "the device did not answer within the timeout";

    /** Whether the device stayed silent for the timeout (the connection itself may be fine). */
    static boolean isTimeout(Throwable e) {
        return TIMEOUT.equals(describe(e));
    }

    static String describe(Throwable e) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        for (Throwable t : chain) {
            String m = lower(t.getMessage());
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t instanceof ConnectException || m.contains("connection refused")) {
                return "connection refused (nothing listens on that port, or the device is off)";
            }
            if (t instanceof NoRouteToHostException || m.contains("no route to host")) {
                return "no route to the host (check the network and the address)";
            }
            if (t instanceof SocketTimeoutException || m.contains("socket timeout") || m.contains("timeout reading")
                    || m.contains("timed out")) {
                return TIMEOUT;
            }
            if (t instanceof EOFException || m.contains("premature end of stream") || m.contains("end of file")) {
                return "the device closed the connection";
            }
            if (t instanceof SocketException && (m.contains("reset") || m.contains("broken pipe"))) {
                return "the connection was closed by the device or the network";
            }
            if (t instanceof IndexOutOfBoundsException || m.contains("out of bounds")) {
                // an MBAP length beyond any Modbus frame: something else answers on that port
                return "the answer is not a Modbus TCP frame (is it a Modbus TCP device on that port?)";
            }
        }
        for (Throwable t : chain) {
            String m = clean(t.getMessage());
            if (!m.isEmpty()) {
                return m;
            }
        }
        return e.getClass().getSimpleName();
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    /** A message without the "- null" j2mod appends when the cause had none. */
    private static String clean(String message) {
        if (message == null) {
            return "";
        }
        String m = message.strip();
        while (m.endsWith("- null") || m.endsWith(": null") || m.equals("null")) {
            m = m.substring(0, m.length() - (m.equals("null") ? 4 : 6)).strip();
        }
        return m;
    }

    /** A Modbus exception response in words: its code and the name the Modbus specification gives it. */
    static String slaveError(ModbusSlaveException e) {
        int code = e.getType();
        String name;
        switch (code) {
            case 1:
                name = "illegal function";
                break;
            case 2:
                name = "illegal data address";
                break;
            case 3:
                name = "illegal data value";
                break;
            case 4:
                name = "slave device failure";
                break;
            case 5:
                name = "acknowledge";
                break;
            case 6:
                name = "slave device busy";
                break;
            case 10:
                name = "gateway path unavailable";
                break;
            case 11:
                name = "gateway target device failed to respond";
                break;
            default:
                name = "exception";
                break;
        }
        return "Modbus exception " + code + " (" + name + ")";
    }

    /** The message of what a completion stage failed with. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof java.util.concurrent.CompletionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
