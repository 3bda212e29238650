package org.fogwerk.uplink.mqtt.internal;

import org.fogwerk.support.config.InvalidConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/** Builds the TLS socket factory from PEM files; every problem names the key and the file. */
final class TlsContexts {

    // used as an instance, not registered with the JVM: decrypting keys needs ciphers the JDK may lack
    private static final BouncyCastleProvider BOUNCY_CASTLE = new BouncyCastleProvider();

    private TlsContexts() {
    }

    static SSLSocketFactory socketFactory(UplinkSettings s) throws InvalidConfigurationException {
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
                PrivateKey key = privateKey(s.keyFile, s.keyPassword);
                checkKeyMatchesCertificate(key, chain.get(0), s.keyFile, s.certFile);
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                char[] none = new char[0];
                try {
                    ks.setKeyEntry("client", key, none, chain.toArray(new Certificate[0]));
                } catch (GeneralSecurityException e) {
                    throw new InvalidConfigurationException(null, "tls.key.file", "key " + s.keyFile + " does not match certificate "
                            + s.certFile + ": " + e.getMessage());
                }
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, none);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (GeneralSecurityException | IOException e) {
            throw new InvalidConfigurationException(null, "tls", "cannot set up TLS: " + e.getMessage());
        }
    }

    private static List<Certificate> certificates(String key, Path file) throws InvalidConfigurationException {
        try (ByteArrayInputStream in = new ByteArrayInputStream(Files.readAllBytes(file))) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new InvalidConfigurationException(null, key, "no PEM certificate in " + file);
            }
            return new ArrayList<>(certs);
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidConfigurationException(null, key, "cannot read certificates from " + file + ": " + e.getMessage());
        }
    }

    /**
     * Reads the private key with Bouncy Castle's PEM parser: PKCS#8, PKCS#1 RSA and SEC1 EC keys,
     * and encrypted ones (PKCS#8 or OpenSSL's legacy Proc-Type) with {@code tls.key.password}.
     */
    static PrivateKey privateKey(Path file, char[] password) throws InvalidConfigurationException {
        Object pem;
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            pem = parser.readObject();
            while (pem != null && !(pem instanceof PEMKeyPair || pem instanceof PrivateKeyInfo
                    || pem instanceof PEMEncryptedKeyPair || pem instanceof PKCS8EncryptedPrivateKeyInfo)) {
                pem = parser.readObject();
            }
        } catch (IOException e) {
            throw new InvalidConfigurationException(null, "tls.key.file", "cannot read a PEM key from " + file + ": " + e.getMessage());
        }
        if (pem == null) {
            throw new InvalidConfigurationException(null, "tls.key.file", "no private key in " + file
                    + " (expected a -----BEGIN ... PRIVATE KEY----- block)");
        }
        boolean encrypted = pem instanceof PEMEncryptedKeyPair || pem instanceof PKCS8EncryptedPrivateKeyInfo;
        if (encrypted && password.length == 0) {
            throw new InvalidConfigurationException(null, "tls.key.file", file + " is encrypted: set tls.key.password");
        }
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try {
            if (pem instanceof PEMEncryptedKeyPair) {
                pem = ((PEMEncryptedKeyPair) pem).decryptKeyPair(
                        new JcePEMDecryptorProviderBuilder().setProvider(BOUNCY_CASTLE).build(password));
            } else if (pem instanceof PKCS8EncryptedPrivateKeyInfo) {
                pem = ((PKCS8EncryptedPrivateKeyInfo) pem).decryptPrivateKeyInfo(
                        new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BOUNCY_CASTLE).build(password));
            }
        } catch (IOException | OperatorCreationException | PKCSException e) {
            throw new InvalidConfigurationException(null, "tls.key.password", "cannot decrypt " + file
                    + ": wrong tls.key.password or an unsupported cipher (" + e.getMessage() + ")");
        }
        try {
            return pem instanceof PEMKeyPair ? converter.getKeyPair((PEMKeyPair) pem).getPrivate()
                    : converter.getPrivateKey((PrivateKeyInfo) pem);
        } catch (IOException e) {
            throw new InvalidConfigurationException(null, "tls.key.file", file + " holds a key of a kind Java cannot use: " + e.getMessage());
        }
    }

    /**
     * A certificate and a key that do not belong together are otherwise only found at the TLS
     * handshake, where the broker reports a bare {@code decrypt_error}: sign with the key, verify
     * with the certificate.
     */
    static void checkKeyMatchesCertificate(PrivateKey key, Certificate cert, Path keyFile, Path certFile)
            throws InvalidConfigurationException {
        String algorithm;
        switch (key.getAlgorithm()) {
            case "RSA":
                algorithm = "SHA256withRSA";
                break;
            case "EC":
            case "ECDSA":
                algorithm = "SHA256withECDSA";
                break;
            case "Ed25519":
            case "EdDSA":
                algorithm = "Ed25519";
                break;
            default:
                return;
        }
        boolean matches;
        try {
            byte[] challenge = new byte[32];
            new java.security.SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(challenge);
            matches = verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            matches = false;
        }
        if (!matches) {
            throw new InvalidConfigurationException(null, "tls.key.file", "the key in " + keyFile + " (tls.key.file) does not belong to "
                    + "the certificate in " + certFile + " (tls.cert.file)");
        }
    }
}
