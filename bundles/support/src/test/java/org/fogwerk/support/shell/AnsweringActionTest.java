package org.fogwerk.support.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;

import org.apache.karaf.shell.api.console.Session;
import org.junit.jupiter.api.Test;

class AnsweringActionTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @Test
    void printsTheAnswerToTheSessionConsoleAndReturnsNothing() throws Exception {
        AnsweringAction command = command(() -> "press/sp = 12.5: DONE");
        // returning the text would print it twice in the interactive console and not at all in batch mode
        assertNull(command.execute());
        assertEquals("press/sp = 12.5: DONE" + System.lineSeparator(), printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsNothingMoreWhenTheCommandPrintedItself() throws Exception {
        assertNull(command(() -> null).execute());
        assertEquals("", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRefusalStaysAnErrorAndPrintsNoAnswer() {
        AnsweringAction command = command(() -> {
            throw new IllegalArgumentException("above the maximum 100");
        });
        assertThrows(IllegalArgumentException.class, command::execute);
        assertEquals("", printed.toString(StandardCharsets.UTF_8));
    }

    interface Answer {
        Object get() throws Exception;
    }

    private AnsweringAction command(Answer answer) {
        AnsweringAction command = new AnsweringAction() {
            @Override
            protected Object answer() throws Exception {
                return answer.get();
            }
        };
        PrintStream console = new PrintStream(printed, true, StandardCharsets.UTF_8);
        command.session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConsole")) {
                        return console;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return command;
    }
}
