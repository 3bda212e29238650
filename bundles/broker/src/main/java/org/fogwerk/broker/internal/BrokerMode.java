package org.fogwerk.broker.internal;

import java.util.Locale;

/** When the embedded broker starts. */
public enum BrokerMode {
    /** Always; a taken port is a failure. */
    ON,
    /** Never. */
    OFF;

    String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
