package org.fogwerk.web.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.Principal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs users in against a Karaf JAAS realm ({@code karaf}: {@code etc/users.properties}), the
 * same users and roles as the shell. Roles are the names of the realm's role principals.
 */
final class JaasAuthenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(JaasAuthenticator.class);
    // Karaf's boot principal classes; matched by name so the bundle needs no import of a boot package
    private static final String ROLE_PRINCIPAL = "org.apache.karaf.jaas.boot.principal.RolePrincipal";

    /** The option of Karaf's properties login module that names its accounts file. */
    private static final String USERS_OPTION = "users";

    private final String realm;

    JaasAuthenticator(String realm) {
        this.realm = realm;
    }

    /**
     * The time, size and identity of the realm's accounts files (of its properties login modules;
     * {@code etc/users.properties} for the {@code karaf} realm). A realm without such a file (LDAP,
     * a database) gives an empty list: its sessions keep their roles until they end.
     */
    @Override
    public Object accounts() {
        List<Object> stamp = new ArrayList<>();
        for (Path file : accountFiles()) {
            try {
                BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
                stamp.add(List.of(file.toString(), a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey())));
            } catch (IOException e) {
                stamp.add(file + " absent");
            }
        }
        return stamp;
    }

    private List<Path> accountFiles() {
        List<Path> files = new ArrayList<>();
        try {
            AppConfigurationEntry[] entries = Configuration.getConfiguration().getAppConfigurationEntry(realm);
            for (AppConfigurationEntry e : entries == null ? new AppConfigurationEntry[0] : entries) {
                Object users = e.getOptions().get(USERS_OPTION);
                if (users instanceof String name && !name.isBlank()) {
                    files.add(Path.of(name));
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("JAAS configuration of realm {} not readable: {}", realm, e.toString());
        }
        return files;
    }

    @Override
    public Optional<WebUser> login(String user, char[] password) {
        Subject subject = new Subject();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // LoginContext loads the realm's proxy login module through the context class loader;
        // the HTTP thread's loader is the web container's, ours reaches Karaf's boot delegation
        thread.setContextClassLoader(JaasAuthenticator.class.getClassLoader());
        try {
            LoginContext context = new LoginContext(realm, subject, callbacks -> {
                for (Callback c : callbacks) {
                    if (c instanceof NameCallback) {
                        ((NameCallback) c).setName(user);
                    } else if (c instanceof PasswordCallback) {
                        ((PasswordCallback) c).setPassword(password);
                    } else {
                        throw new UnsupportedCallbackException(c);
                    }
                }
            });
            context.login();
            Set<String> roles = new HashSet<>();
            for (Principal p : subject.getPrincipals()) {
                if (ROLE_PRINCIPAL.equals(p.getClass().getName())) {
                    roles.add(p.getName());
                }
            }
            try {
                context.logout();
            } catch (LoginException e) {
                LOG.debug("JAAS logout of {} failed: {}", user, e.getMessage());
            }
            return Optional.of(new WebUser(user, roles));
        } catch (LoginException e) {
            LOG.debug("HTTP login of {} refused by realm {}: {}", user, realm, e.getMessage());
            return Optional.empty();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

}
