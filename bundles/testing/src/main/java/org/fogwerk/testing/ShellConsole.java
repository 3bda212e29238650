package org.fogwerk.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;

import org.apache.karaf.shell.api.action.Action;
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

    /**
     * Runs a command in this session, as the shell runs it (its {@code @Reference Session} set),
     * and returns what it printed.
     */
    public String run(Action command) throws Exception {
        for (Class<?> c = command.getClass(); c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() == Session.class) {
                    f.setAccessible(true);
                    f.set(command, session);
                }
            }
        }
        return print(command::execute);
    }

    /** Runs a command and returns what it printed. */
    public String print(Run command) throws Exception {
        printed.reset();
        command.run();
        return printed.toString(StandardCharsets.UTF_8);
    }
}
