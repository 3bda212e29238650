package org.fogwerk.uplink.mqtt.internal;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLException;

import org.eclipse.paho.client.mqttv3.MqttException;

/**
 * Why a connection to the broker did not come up, said in terms of the uplink's settings.
 * Paho and the JDK report TLS trouble as "PKIX path building failed", "Broken pipe" or
 * "Connection lost" (even for a connection that never came up), which name neither the
 * broker's certificate nor the file that should have trusted it.
 */
final class ConnectFailures {

    /** A reason and whether someone has to act (FAILED) rather than wait (DISCONNECTED). */
    record Reason(String text, boolean needsAction) {
    }

    private ConnectFailures() {
    }

    static Reason describe(Throwable e, UplinkSettings s) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        for (Throwable t : chain) {
            if (t instanceof CertPathBuilderException || t instanceof CertPathValidatorException
                    || lower(t).contains("pkix path")) {
                return new Reason(s.caFile == null
                        ? "the broker's certificate is not signed by a CA this JVM trusts: set tls.ca.file to the CA "
                                + "that signed it"
                        : "the broker's certificate is not signed by tls.ca.file (" + s.caFile + ")", true);
            }
            if (t instanceof javax.net.ssl.SSLPeerUnverifiedException || lower(t).contains("no subject alternative")) {
                return new Reason("the broker's certificate does not name the host in broker.urls ("
                        + t.getMessage() + "); fix the URL or set tls.hostname.verification = false", true);
            }
        }
        for (Throwable t : chain) {
            String m = lower(t);
            if (t instanceof SSLException && m.contains("alert")) {
                if (m.contains("certificate_required") || m.contains("bad_certificate") || m.contains("unknown_ca")
                        || m.contains("certificate_unknown") || m.contains("decrypt_error")
                        || m.contains("access_denied")) {
                    return refusedClientCertificate(s, t.getMessage());
                }
                return new Reason("the TLS handshake failed: " + t.getMessage(), true);
            }
        }
        for (Throwable t : chain) {
            if (t instanceof UnknownHostException) {
                return new Reason("unknown host " + t.getMessage(), false);
            }
            if (t instanceof ConnectException) {
                return new Reason("connection refused: no broker listens at " + String.join(",", s.brokerUrls), false);
            }
            if (t instanceof SocketTimeoutException) {
                return new Reason("the broker did not answer within connect.timeout", false);
            }
        }
        boolean closedEarly = chain.stream().anyMatch(t -> t instanceof EOFException
                || (t instanceof SocketException && (lower(t).contains("broken pipe") || lower(t).contains("reset")))
                || (t instanceof MqttException
                        && ((MqttException) t).getReasonCode() == MqttException.REASON_CODE_CONNECTION_LOST));
        if (closedEarly) {
            // a TLS 1.3 broker checks our certificate after the handshake and just closes the connection
            if (s.certFile != null || isTls(s)) {
                return refusedClientCertificate(s, null);
            }
            return new Reason("the broker closed the connection before accepting it", false);
        }
        return new Reason(plain(e), false);
    }

    private static Reason refusedClientCertificate(UplinkSettings s, String alert) {
        String which = s.certFile == null ? "no client certificate was sent (set tls.cert.file and tls.key.file)"
                : "tls.cert.file " + s.certFile;
        return new Reason("the broker refused our client certificate: " + which
                + (alert == null ? " (it closed the connection during the TLS handshake)" : " (" + alert + ")"), true);
    }

    private static boolean isTls(UplinkSettings s) {
        return java.util.Arrays.stream(s.brokerUrls).anyMatch(u -> u.startsWith("ssl://"));
    }

    private static String lower(Throwable t) {
        return t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
    }

    /** The exception's message with its cause's, when the cause adds something. */
    static String plain(Throwable e) {
        String m = e.getMessage();
        Throwable c = e.getCause();
        if (c != null && c.getMessage() != null && (m == null || !m.contains(c.getMessage()))) {
            m = (m == null ? "" : m + ": ") + c.getMessage();
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
