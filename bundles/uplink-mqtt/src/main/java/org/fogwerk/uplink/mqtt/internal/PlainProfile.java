package org.fogwerk.uplink.mqtt.internal;

import java.util.List;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.fogwerk.api.TagValue;
import org.fogwerk.api.uplink.spi.ProfileSession.Encoder;

import com.fasterxml.jackson.core.JsonFactory;

/**
 * The {@code plain} profile: one JSON message per value ({@code payload=json}) or JSON batches
 * per thing ({@code json-batch}) on {@code topic.template}, with {@code seq} and
 * {@code replayed} spliced in when sent. It is also the telemetry of every profile that leaves
 * the telemetry to the engine (AWS IoT, the local shadow topics).
 */
class PlainProfile implements Profile {

    private static final JsonFactory JSON = new JsonFactory();

    private final UplinkSettings s;

    PlainProfile(UplinkSettings settings) {
        this.s = settings;
    }

    @Override
    public Encoder encoder() {
        PayloadEncoder json = new PayloadEncoder(JSON, s.node);
        return new Encoder() {
            @Override
            public String topic(String connection, String thing, TagValue v) {
                return s.topic.render(s.node, connection, thing, batched() ? "batch" : v.tag());
            }

            @Override
            public byte[] single(TagValue v, String thing) {
                return json.single(v, thing);
            }

            @Override
            public byte[] batch(String thing, List<TagValue> values) {
                return json.batch(thing, values);
            }
        };
    }

    @Override
    public boolean batched() {
        return s.payload == UplinkSettings.Payload.JSON_BATCH;
    }

    @Override
    public boolean jsonPayloads() {
        return true;
    }

    @Override
    public void send(MqttAsyncClient client, String topic, byte[] stored, int offset, long seq, boolean replay,
            int qos, IMqttActionListener ack) throws MqttException {
        client.publish(topic, PayloadEncoder.published(stored, offset, seq, replay), qos, false, null, ack);
    }
}
