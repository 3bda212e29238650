package org.fogwerk.support.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.support.CommandException;
import org.junit.jupiter.api.Test;

class AnsweringActionTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @Test
    void printsTheAnswerToTheCommandsOutputAndReturnsNothing() throws Exception {
        AnsweringAction command = command(() -> "press/sp = 12.5: DONE");
        // returning the text would print it twice in the interactive console and not at all in batch mode
        assertNull(execute(command));
        assertEquals("press/sp = 12.5: DONE" + System.lineSeparator(), printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void printsNothingMoreWhenTheCommandPrintedItself() throws Exception {
        assertNull(execute(command(() -> null)));
        assertEquals("", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aRefusalIsOneLineWithTheCommandNameAndNoStackTrace() {
        AnsweringAction command = command(() -> {
            throw new IllegalArgumentException("press/sp: REFUSED: 1000 is above the maximum 100");
        });
        CommandException e = assertThrows(CommandException.class, () -> execute(command));
        // Karaf prints getNiceHelp() for an exception of this name, and logs it at DEBUG only
        assertEquals("CommandException", e.getClass().getSimpleName());
        assertEquals("press/sp: REFUSED: 1000 is above the maximum 100", e.getMessage());
        assertTrue(e.getNiceHelp().contains("Error executing command fogwerk:test-write: press/sp: REFUSED: 1000"));
        assertEquals(1, e.getNiceHelp().lines().count());
        assertEquals("", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anyOtherFailureIsLeftToKaraf() {
        AnsweringAction command = command(() -> {
            throw new IllegalStateException("bug");
        });
        assertThrows(IllegalStateException.class, () -> execute(command));
    }

    interface Answer {
        Object get() throws Exception;
    }

    @Command(scope = "fogwerk", name = "test-write")
    static final class TestWrite extends AnsweringAction {
        private final Answer answer;

        TestWrite(Answer answer) {
            this.answer = answer;
        }

        @Override
        protected Object answer() throws Exception {
            return answer.get();
        }
    }

    private AnsweringAction command(Answer answer) {
        return new TestWrite(answer);
    }

    /** Runs the command with its standard output caught, as the shell points it at the console or a pipe. */
    private Object execute(AnsweringAction command) throws Exception {
        PrintStream standard = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            return command.execute();
        } finally {
            System.setOut(standard);
        }
    }
}
