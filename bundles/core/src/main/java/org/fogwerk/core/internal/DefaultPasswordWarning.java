package org.fogwerk.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.fogwerk.support.concurrent.DaemonThreads;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns in the log, at start and then every half hour, for as long as the administrator
 * account still has the password it was shipped with. Reads {@code etc/users.properties}
 * once a minute, so the warning stops as soon as the password is changed.
 */
@Component(immediate = true, service = {})
public final class DefaultPasswordWarning {

    static final String SHIPPED_USER = "admin";
    static final String SHIPPED_PASSWORD = "admin";
    private static final Logger LOG = LoggerFactory.getLogger(DefaultPasswordWarning.class);
    private static final long REPEAT_MINUTES = 30;
    /** A users file changed less than this ago may still be being written. */
    private static final long SETTLE_MILLIS = 2000;

    private final Path usersFile;
    private final ScheduledExecutorService timer;
    private long minutesSinceWarning = REPEAT_MINUTES;
    private boolean warned;

    @Activate
    public DefaultPasswordWarning(BundleContext context) {
        String etc = context.getProperty("karaf.etc");
        this.usersFile = Paths.get(etc == null ? "etc" : etc, "users.properties");
        this.timer = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("fogwerk-password-check"));
        timer.scheduleWithFixedDelay(this::check, 0, 1, TimeUnit.MINUTES);
    }

    @Deactivate
    void deactivate() {
        timer.shutdownNow();
    }

    private void check() {
        if (beingWritten(usersFile)) {
            // Karaf rewrites the file in place when it digests the passwords at the first login: a read
            // now may see it half written, so look again once it has settled
            timer.schedule(this::check, SETTLE_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        boolean shipped = stillShipped(usersFile);
        if (shipped && minutesSinceWarning >= REPEAT_MINUTES) {
            LOG.warn("The administrator account '{}' still has its shipped password: anyone who can reach the "
                    + "shell can control this node. Change it in {} (see README, 'Security').", SHIPPED_USER, usersFile);
            minutesSinceWarning = 0;
            warned = true;
        } else if (!shipped && warned) {
            LOG.info("The administrator password was changed.");
            warned = false;
        }
        minutesSinceWarning = shipped ? minutesSinceWarning + 1 : REPEAT_MINUTES;
    }

    /** Whether the users file was changed so recently that it may still be being written. */
    static boolean beingWritten(Path usersFile) {
        try {
            long age = System.currentTimeMillis() - Files.getLastModifiedTime(usersFile).toMillis();
            return age >= 0 && age < SETTLE_MILLIS;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the users file still gives the shipped user its shipped password. */
    static boolean stillShipped(Path usersFile) {
        if (!Files.isRegularFile(usersFile)) {
            return false;
        }
        Properties users = new Properties();
        try (InputStream in = Files.newInputStream(usersFile)) {
            users.load(in);
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
        String entry = users.getProperty(SHIPPED_USER);
        if (entry == null) {
            return false;
        }
        int comma = entry.indexOf(',');
        String password = (comma < 0 ? entry : entry.substring(0, comma)).trim();
        if (password.startsWith(CRYPT) && password.endsWith(CRYPT) && password.length() > 2 * CRYPT.length()) {
            // digested at the first login (encryption.enabled in etc/org.apache.karaf.jaas.cfg)
            String digest = password.substring(CRYPT.length(), password.length() - CRYPT.length());
            return SHIPPED_DIGEST.equalsIgnoreCase(digest);
        }
        return SHIPPED_PASSWORD.equals(password);
    }

    private static final String CRYPT = "{CRYPT}";
    /** The shipped password as Karaf's basic encryption stores it: SHA-256, hexadecimal. */
    private static final String SHIPPED_DIGEST = sha256Hex(SHIPPED_PASSWORD);

    private static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
