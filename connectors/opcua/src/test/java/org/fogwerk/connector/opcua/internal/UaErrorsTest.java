package org.fogwerk.connector.opcua.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.junit.jupiter.api.Test;

/** A connection's reason reads as the status and what went wrong, without Java class names. */
class UaErrorsTest {

    @Test
    void aRefusedConnectionReadsWithoutTheClassNamesBeforeItsMessage() {
        UaException refused = new UaException(StatusCodes.Bad_ConnectionRejected,
                "io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: /127.0.0.1:4840");
        assertEquals("Bad_ConnectionRejected: Connection refused: /127.0.0.1:4840",
                UaErrors.describe(new CompletionException(refused)));
        assertEquals("timed out after 5000 ms, server opc.tcp://plc.example:4840 (java.net.Inet4Address kept)",
                UaErrors.readable("java.util.concurrent.TimeoutException: timed out after 5000 ms, server"
                        + " opc.tcp://plc.example:4840 (java.net.Inet4Address kept)"));
    }

    @Test
    void aRequestWithoutAnAnswerInTimeIsToldApart() {
        assertTrue(UaErrors.timedOut(new CompletionException(new UaException(StatusCodes.Bad_Timeout, "timed out"))));
        assertFalse(UaErrors.timedOut(new UaException(StatusCodes.Bad_NotWritable, "no")));
        assertFalse(UaErrors.timedOut(new IllegalStateException("other")));
    }
}
