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

/**
 * Turns what j2mod and the socket layer throw into one sentence an integrator understands.
 * j2mod wraps the cause's message into its own ("Socket timeout reading response - null"), so
 * the chain is read for what happened, not printed.
 */
final class ModbusReasons {

    private ModbusReasons() {
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
                return "the device did not answer within the timeout";
            }
            if (t instanceof EOFException || m.contains("premature end of stream") || m.contains("end of file")) {
                return "the device closed the connection";
            }
            if (t instanceof SocketException && (m.contains("reset") || m.contains("broken pipe"))) {
                return "the connection was closed by the device or the network";
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
}
