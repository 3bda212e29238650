package org.fogwerk.uplink.mqtt.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/** Builds the TLS socket factory from PEM files; every problem names the key and the file. */
final class TlsContexts {

    private TlsContexts() {
    }

    static SSLSocketFactory socketFactory(UplinkSettings s) throws ConfigException {
        try {
            TrustManagerFactory tmf = null;
            if (s.caFile != null) {
                List<Certificate> cas = certificates("tls.ca.file", s.caFile);
                KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
                trust.load(null, null);
                for (int i = 0; i < cas.size(); i++) {
                    trust.setCertificateEntry("ca" + i, cas.get(i));
                }
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (s.certFile != null) {
                List<Certificate> chain = certificates("tls.cert.file", s.certFile);
                PrivateKey key = privateKey(s.keyFile);
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                char[] none = new char[0];
                try {
                    ks.setKeyEntry("client", key, none, chain.toArray(new Certificate[0]));
                } catch (GeneralSecurityException e) {
                    throw new ConfigException("tls.key.file", "key " + s.keyFile + " does not match certificate "
                            + s.certFile + ": " + e.getMessage());
                }
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, none);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("tls", "cannot set up TLS: " + e.getMessage());
        }
    }

    private static List<Certificate> certificates(String key, Path file) throws ConfigException {
        try (ByteArrayInputStream in = new ByteArrayInputStream(Files.readAllBytes(file))) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new ConfigException(key, "no PEM certificate in " + file);
            }
            return new ArrayList<>(certs);
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(key, "cannot read certificates from " + file + ": " + e.getMessage());
        }
    }

    /** AlgorithmIdentifier of rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
        (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    /** One DER element: tag, definite length, content. */
    private static byte[] der(int tag, byte[] content) {
        int n = content.length;
        byte[] length;
        if (n < 0x80) {
            length = new byte[] {(byte) n};
        } else {
            int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            length = new byte[bytes + 1];
            length[0] = (byte) (0x80 | bytes);
            for (int i = 0; i < bytes; i++) {
                length[bytes - i] = (byte) (n >>> (8 * i));
            }
        }
        return concat(new byte[] {(byte) tag}, length, content);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p, 0, p.length);
        }
        return out.toByteArray();
    }

    private static PrivateKey privateKey(Path file) throws ConfigException {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigException("tls.key.file", "cannot read " + file + ": " + e.getMessage());
        }
        boolean rsa = pem.contains("-----BEGIN RSA PRIVATE KEY-----");
        if (pem.contains("Proc-Type: 4,ENCRYPTED") || pem.contains("BEGIN EC PRIVATE KEY")
                || pem.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new ConfigException("tls.key.file", file + " is not an unencrypted PKCS#8 or PKCS#1 RSA key; "
                    + "convert it with 'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem'");
        }
        String type = rsa ? "RSA PRIVATE KEY" : "PRIVATE KEY";
        int begin = pem.indexOf("-----BEGIN " + type + "-----");
        int end = pem.indexOf("-----END " + type + "-----");
        if (begin < 0 || end < begin) {
            throw new ConfigException("tls.key.file", "no '-----BEGIN PRIVATE KEY-----' block in " + file);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(begin + type.length() + 16, end));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("tls.key.file", "bad base64 in " + file);
        }
        if (rsa) {
            // AWS IoT hands out keys in the PKCS#1 form: wrap them as PKCS#8 (rsaEncryption, no parameters)
            der = der(0x30, concat(new byte[] {0x02, 0x01, 0x00}, RSA_ALGORITHM, der(0x04, der)));
        }
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new ConfigException("tls.key.file", file + " holds no RSA, EC or Ed25519 key");
    }
}
