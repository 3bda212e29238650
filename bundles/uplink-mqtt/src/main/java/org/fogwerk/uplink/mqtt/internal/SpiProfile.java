package org.fogwerk.uplink.mqtt.internal;

import java.io.IOException;
import java.util.function.Consumer;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.fogwerk.api.uplink.spi.ConnectOptions;
import org.fogwerk.api.uplink.spi.ProfileSession;
import org.fogwerk.api.uplink.spi.ProfileSession.Encoder;

/**
 * A profile installed as an {@link org.fogwerk.api.uplink.spi.UplinkProfile} service, seen by the
 * engine: Paho's client and options become the SPI's {@link org.fogwerk.api.uplink.spi.MqttSession}
 * and {@link ConnectOptions}; telemetry the profile leaves to the engine is the plain profile's.
 */
final class SpiProfile implements Profile {

    private final ProfileSession session;
    private final PlainProfile plain;
    private final boolean engineTelemetry;
    private volatile PahoSession current;

    SpiProfile(UplinkSettings settings, ProfileSession session) {
        this.session = session;
        this.plain = new PlainProfile(settings);
        this.engineTelemetry = session.engineTelemetry();
    }

    /** The profile's own side, for whoever needs to look at it. */
    ProfileSession session() {
        return session;
    }

    private PahoSession of(MqttAsyncClient client) {
        PahoSession s = current;
        if (s == null || s.client() != client) {
            s = new PahoSession(client);
            current = s;
        }
        return s;
    }

    @Override
    public Encoder encoder() {
        return engineTelemetry ? plain.encoder() : session.encoder();
    }

    @Override
    public boolean batched() {
        return engineTelemetry ? plain.batched() : session.batched();
    }

    @Override
    public boolean jsonPayloads() {
        return engineTelemetry;
    }

    @Override
    public void restartWith(Consumer<String> restartSession) {
        session.restartWith(restartSession);
    }

    @Override
    public void beforeConnect(MqttConnectOptions options) {
        session.beforeConnect(new ConnectOptions() {
            @Override
            public void will(String topic, byte[] payload, int qos, boolean retained) {
                options.setWill(topic, payload, qos, retained);
            }

            @Override
            public void noDelay() {
                options.setSocketFactory(NoDelaySockets.wrap(options.getSocketFactory()));
            }

            @Override
            public void nextServer() {
                String[] urls = options.getServerURIs();
                if (urls != null && urls.length > 1) {
                    String[] rotated = new String[urls.length];
                    for (int i = 0; i < urls.length; i++) {
                        rotated[i] = urls[(i + 1) % urls.length];
                    }
                    options.setServerURIs(rotated);
                }
            }
        });
    }

    @Override
    public void connected(MqttAsyncClient client) throws MqttException {
        try {
            session.connected(of(client));
        } catch (IOException e) {
            throw PahoSession.unwrap(e);
        }
    }

    @Override
    public boolean ready() {
        return session.ready();
    }

    @Override
    public void send(MqttAsyncClient client, String topic, byte[] stored, int offset, long seq, boolean replay,
            int qos, IMqttActionListener ack) throws MqttException {
        if (engineTelemetry) {
            plain.send(client, topic, stored, offset, seq, replay, qos, ack);
            return;
        }
        try {
            session.send(of(client), topic, stored, offset, seq, replay, qos).whenComplete((done, e) -> {
                if (e == null) {
                    ack.onSuccess(null);
                } else {
                    ack.onFailure(null, e);
                }
            });
        } catch (IOException e) {
            throw PahoSession.unwrap(e);
        }
    }

    @Override
    public boolean messageArrived(String topic, MqttMessage message) {
        return session.messageArrived(topic, message.getPayload(), message.isRetained());
    }

    @Override
    public boolean commands() {
        return session.commands();
    }

    @Override
    public void connectionLost() {
        session.connectionLost();
    }

    @Override
    public void closing(MqttAsyncClient client) {
        session.closing(of(client));
    }

    @Override
    public void close() {
        session.close();
    }
}
