package org.fogwerk.camel.internal.component;

import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;

/**
 * A request the node refused or could not carry out: the shadow store's error code (400, 404,
 * 409, 413, 429, 500), a refused or failed machine write, an uplink outbox that said no.
 * Routes catch it as {@link CamelExchangeException}; {@link #code()} and the header
 * {@value #CODE_HEADER} carry the code.
 */
public final class FogwerkOperationException extends CamelExchangeException {

    /** Header set on the failed exchange with the code (number for the shadow store, outcome name for writes). */
    public static final String CODE_HEADER = "FogwerkErrorCode";

    private static final long serialVersionUID = 1L;

    private final String code;

    public FogwerkOperationException(String code, String message, Exchange exchange, Throwable cause) {
        super(message, exchange, cause);
        this.code = code;
        exchange.getMessage().setHeader(CODE_HEADER, code);
    }

    public String code() {
        return code;
    }

    /**
     * No stack trace: this is the node's answer to a request, not a fault of the route, and Camel
     * logs a failed exchange with it. While an uplink refuses values (an outage, a full disk) that
     * would be a stack trace per value in the log.
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
