package org.fogwerk.connector.opcua.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.eclipse.milo.opcua.stack.client.security.ClientCertificateValidator;
import org.eclipse.milo.opcua.stack.client.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.DefaultTrustListManager;
import org.eclipse.milo.opcua.stack.core.util.DigestUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's OPC UA client identity and trust lists under one PKI directory: {@code client.pfx}
 * (generated on first use, in the manner of Milo's client examples' KeyStoreLoader), and Milo's
 * {@link DefaultTrustListManager} layout {@code trusted/certs}, {@code rejected}, {@code issuers}.
 * Unknown server certificates are filed in {@code rejected} by Milo's validator; trusting one
 * moves it to {@code trusted/certs}, which Milo's trust list manager picks up without a restart.
 */
public final class Pki {

    private static final Logger LOG = LoggerFactory.getLogger(Pki.class);
    private static final String ALIAS = "fogwerk-client";
    /**
     * The node's own certificate (DER, no key), for a server's administrator to trust: most PLCs
     * take a secured connection only from a client whose certificate they were given.
     */
    static final String CLIENT_CERT = "client.der";
    // the password key stores had before each node got its own secret: read once, then replaced
    private static final char[] LEGACY_PASSWORD = "fogwerk".toCharArray();
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");

    private final Path dir;
    private final boolean autoAccept;
    private final String connectionId;
    private KeyPair keyPair;
    private X509Certificate certificate;
    private DefaultTrustListManager trustList;

    Pki(Path dir, boolean autoAccept, String connectionId) {
        this.dir = dir;
        this.autoAccept = autoAccept;
        this.connectionId = connectionId;
    }

    String applicationUri() {
        return "urn:fogwerk:" + hostName() + ":opcua-client";
    }

    Path dir() {
        return dir;
    }

    /** A random secret for this node's key store, written owner-only before it is used. */
    private static char[] newSecret(Path file) throws java.io.IOException {
        byte[] random = new byte[24];
        new java.security.SecureRandom().nextBytes(random);
        String secret = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        createOwnerOnly(tmp);
        Files.writeString(tmp, secret + "\n");
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return secret.toCharArray();
    }

    private static char[] readSecret(Path file) throws java.io.IOException {
        String secret = Files.readString(file).strip();
        if (secret.isEmpty()) {
            throw new java.io.IOException(file + " is empty: delete it and " + file.resolveSibling("client.pfx")
                    + " to generate a new client certificate");
        }
        restrict(file);
        return secret.toCharArray();
    }

    private static void writeStore(KeyStore ks, Path store, char[] secret) throws Exception {
        Path tmp = store.resolveSibling(store.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        createOwnerOnly(tmp);
        try (OutputStream out = Files.newOutputStream(tmp)) {
            ks.store(out, secret);
        }
        Files.move(tmp, store, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void createOwnerOnly(Path file) throws java.io.IOException {
        if (posix(file)) {
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createFile(file);
        }
    }

    /** Key material is readable by the node's account only (mode 600). */
    static void restrict(Path file) throws java.io.IOException {
        if (posix(file)) {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean posix(Path file) {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Loads or creates the client certificate and the trust lists. */
    synchronized void load() throws Exception {
        if (certificate != null) {
            return;
        }
        Files.createDirectories(dir);
        Path store = dir.resolve("client.pfx");
        Path secretFile = dir.resolve("client.pfx.secret");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        char[] secret;
        if (Files.exists(store)) {
            boolean legacy = !Files.exists(secretFile);
            secret = legacy ? LEGACY_PASSWORD : readSecret(secretFile);
            try (InputStream in = Files.newInputStream(store)) {
                ks.load(in, secret);
            }
            if (legacy) {
                // a store from before per-node secrets: same key and certificate, new secret, owner-only
                char[] fresh = newSecret(secretFile);
                Key key = ks.getKey(ALIAS, LEGACY_PASSWORD);
                ks.setKeyEntry(ALIAS, key, fresh, ks.getCertificateChain(ALIAS));
                writeStore(ks, store, fresh);
                secret = fresh;
                LOG.info("OPC UA client key store {} now has a secret of its own ({}, owner-only)", store, secretFile);
            }
            restrict(store);
        } else {
            secret = newSecret(secretFile);
            ks.load(null, secret);
            KeyPair kp = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
            SelfSignedCertificateBuilder builder = new SelfSignedCertificateBuilder(kp)
                    .setCommonName("Fogwerk OPC UA client")
                    .setOrganization("Fogwerk")
                    .setApplicationUri(applicationUri())
                    .addDnsName("localhost")
                    .addIpAddress("127.0.0.1");
            String host = hostName();
            if (!host.equals("localhost")) {
                builder.addDnsName(host);
            }
            X509Certificate cert = builder.build();
            ks.setKeyEntry(ALIAS, kp.getPrivate(), secret, new X509Certificate[] {cert});
            writeStore(ks, store, secret);
            LOG.info("Generated the OPC UA application instance certificate {} (thumbprint {})", store,
                    thumbprint(cert));
        }
        Key key = ks.getKey(ALIAS, secret);
        X509Certificate cert = (X509Certificate) ks.getCertificate(ALIAS);
        publish(dir.resolve(CLIENT_CERT), cert);
        PublicKey pub = cert.getPublicKey();
        keyPair = new KeyPair(pub, (PrivateKey) key);
        certificate = cert;
        trustList = new DefaultTrustListManager(dir.toFile());
    }

    synchronized KeyPair keyPair() {
        return keyPair;
    }

    synchronized X509Certificate certificate() {
        return certificate;
    }

    /** Milo's validator over the trust lists, or one that accepts everything when auto-accept is on. */
    synchronized ClientCertificateValidator validator() {
        DefaultClientCertificateValidator strict = new DefaultClientCertificateValidator(trustList);
        if (!autoAccept) {
            return strict;
        }
        return new ClientCertificateValidator() {
            @Override
            public void validateCertificateChain(List<X509Certificate> chain) throws UaException {
                warnAccepted(chain);
            }

            @Override
            public void validateCertificateChain(List<X509Certificate> chain, String applicationUri,
                    String... validHostNames) throws UaException {
                warnAccepted(chain);
            }
        };
    }

    private void warnAccepted(List<X509Certificate> chain) {
        LOG.warn("OPC UA connection {}: security.auto.accept is on: accepting server certificate {} without "
                + "checking it; trust it with fogwerk:opcua-cert-trust and switch auto-accept off", connectionId,
                chain.isEmpty() ? "?" : thumbprint(chain.get(0)) + " " + chain.get(0).getSubjectX500Principal());
    }

    synchronized void close() {
        if (trustList != null) {
            try {
                trustList.close();
            } catch (IOException e) {
                LOG.debug("closing trust list: {}", e.toString());
            }
            trustList = null;
        }
    }

    public static String thumbprint(X509Certificate cert) {
        try {
            byte[] sha1 = DigestUtil.sha1(cert.getEncoded());
            StringBuilder sb = new StringBuilder();
            for (byte b : sha1) {
                sb.append(String.format("%02X", b));
            }
            return sb.toString();
        } catch (Exception e) {
            return "?";
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    // ---- trust store operations (shell) -----------------------------------------------------------

    /** One certificate file in the trusted or rejected list. */
    public record CertEntry(String list, String thumbprint, String subject, String notAfter, Path file) {
    }

    /** Writes the certificate where an administrator finds it, unless it is there already. */
    private static void publish(Path file, X509Certificate cert) throws Exception {
        byte[] der = cert.getEncoded();
        if (!Files.exists(file) || !java.util.Arrays.equals(Files.readAllBytes(file), der)) {
            Files.write(file, der);
            LOG.info("The node's OPC UA client certificate (thumbprint {}) is in {}: give it to a server that asks"
                    + " for it", thumbprint(cert), file);
        }
    }

    /** Whether a certificate with this thumbprint is in the trusted list. */
    static boolean trusted(Path pkiDir, String thumbprint) {
        try {
            return thumbprint != null && list(pkiDir).stream()
                    .anyMatch(e -> e.list().equals("trusted") && e.thumbprint().equals(thumbprint));
        } catch (IOException e) {
            return false;
        }
    }

    /** Every certificate in trusted/certs and rejected, works without a connection. */
    public static List<CertEntry> list(Path pkiDir) throws IOException {
        List<CertEntry> out = new ArrayList<>();
        collect(out, "trusted", pkiDir.resolve("trusted").resolve("certs"));
        collect(out, "rejected", pkiDir.resolve("rejected"));
        return out;
    }

    private static void collect(List<CertEntry> out, String list, Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            return;
        }
        try (Stream<Path> files = Files.list(d)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                if (!Files.isRegularFile(f)) {
                    continue;
                }
                try (InputStream in = Files.newInputStream(f)) {
                    X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                            .generateCertificate(in);
                    out.add(new CertEntry(list, thumbprint(c), c.getSubjectX500Principal().getName(),
                            c.getNotAfter().toInstant().toString(), f));
                } catch (Exception e) {
                    LOG.debug("not a certificate: {}", f);
                }
            }
        }
    }

    /**
     * Moves a certificate (found by thumbprint or a unique prefix of it) to the given list:
     * {@code trusted} or {@code rejected}; {@code null} deletes it.
     *
     * @return what was done, for the shell
     */
    public static String move(Path pkiDir, String thumbprint, String toList) throws IOException {
        String wanted = thumbprint.trim().replace(":", "").toUpperCase(Locale.ROOT);
        if (wanted.isEmpty()) {
            throw new IllegalArgumentException("a thumbprint is required (see fogwerk:opcua-certs)");
        }
        List<CertEntry> matches = list(pkiDir).stream().filter(e -> e.thumbprint().startsWith(wanted))
                .collect(java.util.stream.Collectors.toList());
        if (matches.isEmpty()) {
            throw new IllegalArgumentException("no certificate with thumbprint " + thumbprint + " in " + pkiDir);
        }
        if (matches.stream().map(CertEntry::thumbprint).distinct().count() > 1) {
            throw new IllegalArgumentException("thumbprint " + thumbprint + " matches several certificates: give more digits");
        }
        CertEntry e = matches.get(0);
        if (toList == null) {
            for (CertEntry m : matches) {
                Files.deleteIfExists(m.file());
            }
            return "removed " + e.thumbprint() + " (" + e.subject() + ")";
        }
        Path target = toList.equals("trusted") ? pkiDir.resolve("trusted").resolve("certs")
                : pkiDir.resolve("rejected");
        Files.createDirectories(target);
        for (CertEntry m : matches) {
            if (!m.list().equals(toList)) {
                Files.move(m.file(), target.resolve(m.file().getFileName()),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return (toList.equals("trusted") ? "trusted " : "rejected ") + e.thumbprint() + " (" + e.subject() + ")";
    }
}
