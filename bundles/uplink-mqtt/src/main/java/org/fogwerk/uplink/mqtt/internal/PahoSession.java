package org.fogwerk.uplink.mqtt.internal;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.fogwerk.api.uplink.spi.MqttSession;

/** The uplink's Paho client as a profile sees it. A refusal keeps the {@link MqttException} as its cause. */
final class PahoSession implements MqttSession {

    private final MqttAsyncClient client;

    PahoSession(MqttAsyncClient client) {
        this.client = client;
    }

    @Override
    public CompletionStage<Void> publish(String topic, byte[] payload, int qos, boolean retained) throws IOException {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            client.publish(topic, payload, qos, retained, null, completing(done, token -> null));
        } catch (MqttException e) {
            throw refused(e);
        }
        return done;
    }

    @Override
    public CompletionStage<int[]> subscribe(String[] filters, int[] qos) throws IOException {
        CompletableFuture<int[]> done = new CompletableFuture<>();
        try {
            client.subscribe(filters, qos, null, completing(done,
                    token -> token.getGrantedQos() == null ? new int[0] : token.getGrantedQos()));
        } catch (MqttException e) {
            throw refused(e);
        }
        return done;
    }

    MqttAsyncClient client() {
        return client;
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    /** Completes {@code done} with what the token answered, or with the failure. */
    private static <T> IMqttActionListener completing(CompletableFuture<T> done, Function<IMqttToken, T> answer) {
        return new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                done.complete(answer.apply(token));
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
                done.completeExceptionally(e);
            }
        };
    }

    private static IOException refused(MqttException e) {
        return new IOException(e.getMessage(), e);
    }

    /** The Paho refusal behind a profile's exception, so the send loop can tell a full window from the rest. */
    static MqttException unwrap(IOException e) {
        return e.getCause() instanceof MqttException m ? m : new MqttException(e);
    }
}
