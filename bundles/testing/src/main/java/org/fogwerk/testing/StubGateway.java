package org.fogwerk.testing;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.fogwerk.api.authority.Caller;
import org.fogwerk.api.authority.PolicyStatus;
import org.fogwerk.api.authority.RequestCounters;
import org.fogwerk.api.authority.WriteGateway;
import org.fogwerk.api.connector.CallResult;
import org.fogwerk.api.connector.WriteResult;
import org.fogwerk.api.shadow.ShadowDocument;
import org.fogwerk.api.shadow.ShadowException;
import org.fogwerk.api.shadow.ShadowUpdate;

/**
 * A write gateway for a test that needs only some of its doors: each one it does not override
 * fails (writes and calls as failed stages, shadow requests by throwing), it owns no thing and
 * counts nothing.
 */
public class StubGateway implements WriteGateway {

    @Override
    public CompletionStage<WriteResult> write(Caller caller, String connection, String tag, Object value) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("write"));
    }

    @Override
    public CompletionStage<CallResult> call(Caller caller, String connection, String objectId, String methodId,
            List<Object> arguments) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("call"));
    }

    @Override
    public byte[] updateShadow(Caller caller, String thing, String shadow, byte[] requestJson) throws ShadowException {
        throw new UnsupportedOperationException("updateShadow");
    }

    @Override
    public ShadowDocument updateShadow(Caller caller, String thing, String shadow, ShadowUpdate update)
            throws ShadowException {
        throw new UnsupportedOperationException("updateShadow");
    }

    @Override
    public long deleteShadow(Caller caller, String thing, String shadow, Long expectedVersion, String clientToken)
            throws ShadowException {
        throw new UnsupportedOperationException("deleteShadow");
    }

    @Override
    public boolean owns(String thing) {
        return false;
    }

    @Override
    public PolicyStatus policy() {
        return new PolicyStatus("", "", List.of());
    }

    @Override
    public List<RequestCounters> counters() {
        return List.of();
    }
}
