package org.fogwerk.camel.internal;

/**
 * Names of the message headers the {@code fogwerk:} component sets on the exchanges it creates
 * and reads from the exchanges it receives. Routes refer to them as {@code ${header.FogwerkThing}}.
 */
public final class FogwerkHeaders {

    /** Name of the thing (machine) a value or delta belongs to. */
    public static final String THING = "FogwerkThing";
    /** Type of the thing from the thing registry ({@code type=} in its thing file); absent when unknown. */
    public static final String THING_TYPE = "FogwerkThingType";
    /** Tag (field) name within the thing. */
    public static final String TAG = "FogwerkTag";
    /** The thing field (dotted path) the tag feeds, from the thing's {@code map.<field>} key. */
    public static final String FIELD = "FogwerkField";
    /** Connection id the value was read through. */
    public static final String CONNECTION = "FogwerkConnection";
    /** Quality of the value: GOOD, UNCERTAIN or BAD. */
    public static final String QUALITY = "FogwerkQuality";
    /** Source timestamp of the value as {@link java.time.Instant}. */
    public static final String SOURCE_TIME = "FogwerkSourceTime";
    /** Time the node received the value as {@link java.time.Instant}. */
    public static final String RECEIVED_TIME = "FogwerkReceivedTime";
    /** Name of the shadow (default {@code ""}, the thing's main shadow). */
    public static final String SHADOW = "FogwerkShadow";
    /** Version of the shadow document after an update or in a delta. */
    public static final String SHADOW_VERSION = "FogwerkShadowVersion";    /** For the shadow producer: {@code desired} (default) or {@code reported}. */
    public static final String SHADOW_SECTION = "FogwerkShadowSection";

    private FogwerkHeaders() {
    }
}
