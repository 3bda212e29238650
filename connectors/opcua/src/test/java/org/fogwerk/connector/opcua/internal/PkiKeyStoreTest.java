package org.fogwerk.connector.opcua.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiKeyStoreTest {

    @TempDir
    Path dir;

    @Test
    void theClientKeyStoreHasAPerNodeSecretAndIsOwnerOnly() throws Exception {
        new Pki(dir, false, "press01").load();
        Path store = dir.resolve("client.pfx");
        Path secret = dir.resolve("client.pfx.secret");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        String s = Files.readString(secret).strip();
        assertNotEquals("fogwerk", s);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, s.toCharArray());
        }
        // the old shared password opens nothing any more
        KeyStore other = KeyStore.getInstance("PKCS12");
        assertThrows(Exception.class, () -> {
            try (InputStream in = Files.newInputStream(store)) {
                other.load(in, "fogwerk".toCharArray());
            }
        });
        // a second node generates a different secret
        Path dir2 = Files.createDirectory(dir.resolve("other-node"));
        new Pki(dir2, false, "press01").load();
        assertNotEquals(s, Files.readString(dir2.resolve("client.pfx.secret")).strip());
    }

    @Test
    void aStoreWithTheOldSharedPasswordKeepsItsCertificateAndGetsASecret() throws Exception {
        new Pki(dir, false, "press01").load();
        // rewrite it the way earlier versions did: shared password, no secret file, world-readable
        Path store = dir.resolve("client.pfx");
        char[] secret = Files.readString(dir.resolve("client.pfx.secret")).strip().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, secret);
        }
        String alias = ks.aliases().nextElement();
        ks.setKeyEntry(alias, ks.getKey(alias, secret), "fogwerk".toCharArray(), ks.getCertificateChain(alias));
        try (OutputStream out = Files.newOutputStream(store)) {
            ks.store(out, "fogwerk".toCharArray());
        }
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rw-r--r--"));
        Files.delete(dir.resolve("client.pfx.secret"));
        java.security.cert.Certificate before = ks.getCertificate(alias);

        new Pki(dir, false, "press01").load();

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
        char[] fresh = Files.readString(dir.resolve("client.pfx.secret")).strip().toCharArray();
        KeyStore migrated = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            migrated.load(in, fresh);
        }
        assertEquals(before, migrated.getCertificate(alias));
    }
}
