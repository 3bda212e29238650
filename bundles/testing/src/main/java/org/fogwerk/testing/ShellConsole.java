package org.fogwerk.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;

import org.apache.karaf.shell.api.console.Session;

/** A shell session whose console is remembered, for tests of what a command prints. */
public final class ShellConsole {

    /** A command run that may throw. */
    public interface Run {
        Object run() throws Exception;
    }

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final Session session;

    public ShellConsole() {
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        this.session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConsole")) {
                        return out;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    /** The session to give the command; commands use only its console. */
    public Session session() {
        return session;
    }

    /** Runs a command and returns what it printed. */
    public String print(Run command) throws Exception {
        printed.reset();
        command.run();
        return printed.toString(StandardCharsets.UTF_8);
    }
}
