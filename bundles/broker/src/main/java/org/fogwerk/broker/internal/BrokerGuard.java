package org.fogwerk.broker.internal;

import java.util.function.Consumer;

import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.messages.InterceptExceptionMessage;

/**
 * Watches the embedded broker from inside: when one of its session loops fails (the loop's
 * thread ends, and with it every client session it ran, so those clients can no longer connect),
 * it has the broker started again.
 */
final class BrokerGuard extends AbstractInterceptHandler {

    private final Consumer<Throwable> loopFailed;

    BrokerGuard(Consumer<Throwable> loopFailed) {
        this.loopFailed = loopFailed;
    }

    @Override
    public String getID() {
        return "fogwerk-broker-guard";
    }

    /** Only the failures of session loops: no message of a client passes through here. */
    @Override
    public Class<?>[] getInterceptedMessageTypes() {
        return new Class<?>[] {InterceptExceptionMessage.class};
    }

    @Override
    public void onSessionLoopError(Throwable error) {
        loopFailed.accept(error);
    }
}
