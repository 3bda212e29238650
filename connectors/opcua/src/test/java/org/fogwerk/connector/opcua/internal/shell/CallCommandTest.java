package org.fogwerk.connector.opcua.internal.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.connector.CallResult;
import org.fogwerk.testing.StubGateway;
import org.junit.jupiter.api.Test;

/** The command passes its text arguments in order and turns anything but DONE into one clear line. */
class CallCommandTest {

    /** Answers every call with the result it was given and keeps the arguments. */
    private static final class OneAnswer extends StubGateway {
        final CallResult answer;
        final List<Object> received = new ArrayList<>();

        OneAnswer(CallResult answer) {
            this.answer = answer;
        }

        @Override
        public CompletionStage<CallResult> call(Caller caller, String id, String objectId, String methodId,
                List<Object> args) {
            received.addAll(args);
            return CompletableFuture.completedFuture(answer);
        }
    }

    private static CallCommand command(WriteGateway registry, String... args) {
        CallCommand c = new CallCommand();
        c.gateway = registry;
        c.connection = "sim";
        c.objectId = "nsu=urn:fogwerk:simulator;s=Machine";
        c.methodId = "nsu=urn:fogwerk:simulator;s=Machine/SetSetpoint";
        c.arguments = args.length == 0 ? null : List.of(args);
        return c;
    }

    @Test
    void passesTheArgumentsAsTextInOrder() throws Exception {
        OneAnswer registry = new OneAnswer(CallResult.done("sim", "m", List.of()));

        Object out = command(registry, "setpointDouble20", "42.5").answer();

        assertEquals(List.of("setpointDouble20", "42.5"), registry.received);
        assertEquals("nsu=urn:fogwerk:simulator;s=Machine/SetSetpoint: DONE (no outputs)", out);
    }

    @Test
    void aRefusedOrFailedCallIsOneLineWithTheReason() {
        OneAnswer registry = new OneAnswer(CallResult.refused("sim", "m", "m takes 2 arguments, got 0"));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> command(registry).answer());

        assertEquals("sim: nsu=urn:fogwerk:simulator;s=Machine/SetSetpoint: REFUSED: m takes 2 arguments, got 0",
                e.getMessage());
    }
}
