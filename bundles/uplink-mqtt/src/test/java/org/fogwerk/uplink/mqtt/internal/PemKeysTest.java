package org.fogwerk.uplink.mqtt.internal;

import org.fogwerk.support.config.InvalidConfigurationException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client keys in the forms integrators get them (made by openssl), read by Bouncy Castle's PEM parser. */
class PemKeysTest {

    @TempDir
    Path dir;

    private void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "openssl " + String.join(" ", args) + ": " + Files.readString(dir.resolve("openssl.log")));
    }

    private Certificate certificate(String key) throws Exception {
        openssl("req", "-x509", "-new", "-key", key, "-out", key + ".crt", "-days", "2", "-subj", "/CN=test",
                "-passin", "pass:s3cret");
        try (ByteArrayInputStream in = new ByteArrayInputStream(Files.readAllBytes(dir.resolve(key + ".crt")))) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private PrivateKey read(String file, String password) throws InvalidConfigurationException {
        return TlsContexts.privateKey(dir.resolve(file), password.toCharArray());
    }

    @Test
    void rsaKeysInPkcs1AndPkcs8() throws Exception {
        openssl("genrsa", "-traditional", "-out", "rsa1.key", "2048");
        assertTrue(Files.readString(dir.resolve("rsa1.key")).contains("BEGIN RSA PRIVATE KEY"));
        PrivateKey key = read("rsa1.key", "");
        assertEquals("RSA", key.getAlgorithm());
        TlsContexts.checkKeyMatchesCertificate(key, certificate("rsa1.key"), dir.resolve("rsa1.key"), dir);
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", "rsa1.key", "-out", "rsa8.key");
        assertEquals(key, read("rsa8.key", ""));
    }

    @Test
    void ecKeysInSec1Form() throws Exception {
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
        assertTrue(Files.readString(dir.resolve("ec.key")).contains("BEGIN EC PRIVATE KEY"));
        PrivateKey key = read("ec.key", "");
        assertEquals("EC", key.getAlgorithm());
        TlsContexts.checkKeyMatchesCertificate(key, certificate("ec.key"), dir.resolve("ec.key"), dir);
    }

    @Test
    void encryptedKeysNeedTheirPassword() throws Exception {
        openssl("genrsa", "-traditional", "-out", "plain.key", "2048");
        openssl("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "plain.key", "-out", "enc8.key", "-passout", "pass:s3cret");
        openssl("rsa", "-aes256", "-traditional", "-in", "plain.key", "-out", "legacy.key", "-passout", "pass:s3cret");
        PrivateKey plain = read("plain.key", "");
        assertEquals(plain, read("enc8.key", "s3cret"));
        assertEquals(plain, read("legacy.key", "s3cret"));

        InvalidConfigurationException none = assertThrows(InvalidConfigurationException.class, () -> read("enc8.key", ""));
        assertTrue(none.getMessage().contains("is encrypted: set tls.key.password"), none.getMessage());
        InvalidConfigurationException wrong = assertThrows(InvalidConfigurationException.class, () -> read("legacy.key", "guess"));
        assertTrue(wrong.getMessage().contains("wrong tls.key.password"), wrong.getMessage());
    }

    @Test
    void aKeyThatDoesNotBelongToTheCertificateNamesBothFiles() throws Exception {
        openssl("genrsa", "-out", "one.key", "2048");
        openssl("genrsa", "-out", "two.key", "2048");
        Certificate cert = certificate("one.key");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> TlsContexts.checkKeyMatchesCertificate(
                read("two.key", ""), cert, dir.resolve("two.key"), dir.resolve("one.key.crt")));
        assertTrue(e.getMessage().contains("two.key (tls.key.file) does not belong to the certificate in ")
                && e.getMessage().contains("one.key.crt (tls.cert.file)"), e.getMessage());
    }

    @Test
    void aFileWithoutAKeySaysWhatWasExpected() throws Exception {
        Files.writeString(dir.resolve("nokey.pem"), "not a key\n");
        InvalidConfigurationException e = assertThrows(InvalidConfigurationException.class, () -> read("nokey.pem", ""));
        assertTrue(e.getMessage().contains("no private key in"), e.getMessage());
    }
}
