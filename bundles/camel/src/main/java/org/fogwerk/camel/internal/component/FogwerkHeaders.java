package org.fogwerk.camel.internal.component;

/**
 * Names of the message headers the {@code fogwerk:} component (its {@code fogwerk:edge/...} steps
 * included) sets on the exchanges it creates and reads from the exchanges it receives. Routes
 * refer to them as {@code ${header.FogwerkThing}}.
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
    public static final String SHADOW_VERSION = "FogwerkShadowVersion";
    /** For the shadow producer: {@code desired} (default) or {@code reported}. */
    public static final String SHADOW_SECTION = "FogwerkShadowSection";

    // set by the fogwerk:edge/... endpoints and the fogwerkWindowStats aggregation

    /** Window results: start of the window as {@link java.time.Instant}. */
    public static final String WINDOW_START = "FogwerkWindowStart";
    /** Window results: end of the window (exclusive) as {@link java.time.Instant}. */
    public static final String WINDOW_END = "FogwerkWindowEnd";
    /** Window results: number of values counted (Long). */
    public static final String WINDOW_COUNT = "FogwerkWindowCount";
    /** Window results: mean of the numeric values (Double), absent when there were none. */
    public static final String WINDOW_MEAN = "FogwerkWindowMean";
    /** Window results: smallest numeric value (Double), absent when there were none. */
    public static final String WINDOW_MIN = "FogwerkWindowMin";
    /** Window results: largest numeric value (Double), absent when there were none. */
    public static final String WINDOW_MAX = "FogwerkWindowMax";
    /** Alarm events: the new state, {@code HIGH}, {@code LOW} or {@code NORMAL}. */
    public static final String ALARM_STATE = "FogwerkAlarmState";
    /** Alarm events: the state before, {@code HIGH}, {@code LOW} or {@code NORMAL}. */
    public static final String ALARM_PREVIOUS = "FogwerkAlarmPrevious";
    /** Alarm events: {@code RAISE} or {@code CLEAR}. */
    public static final String ALARM_EVENT = "FogwerkAlarmEvent";
    /** Alarm events: the limit crossed (Double). */
    public static final String ALARM_LIMIT = "FogwerkAlarmLimit";
    /** Alarm events: the value that caused the transition (Double). */
    public static final String ALARM_VALUE = "FogwerkAlarmValue";
    /** Batches: number of items in the batch (Integer). */
    public static final String BATCH_SIZE = "FogwerkBatchSize";

    private FogwerkHeaders() {
    }
}
