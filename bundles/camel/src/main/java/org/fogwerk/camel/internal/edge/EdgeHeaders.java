package org.fogwerk.camel.internal.edge;

/** Headers the {@code fogwerk:edge/...} endpoints set; routes read them as {@code ${header.FogwerkWindowCount}}. */
public final class EdgeHeaders {

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

    private EdgeHeaders() {
    }
}
