package org.fogwerk.camel.internal.mes;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.fogwerk.api.TagValue;
import org.fogwerk.camel.internal.component.FogwerkHeaders;

/**
 * Production figures per machine over a period, for MES reports: parts made (from a part
 * counter), mean cycle time (time between counter steps per part) and seconds spent in each
 * machine state. Routes feed it {@code fogwerk:tags} exchanges ({@link #parts}, {@link #state})
 * and take one row per machine with {@link #summarize}, which starts the next period.
 * Bound in the Camel registry as {@value #BEAN}.
 */
public final class ProductionSummary {

    /** Registry name routes use: {@code <bean ref="fogwerkProduction" method="parts"/>}. */
    public static final String BEAN = "fogwerkProduction";

    private final Map<String, Machine> machines = new TreeMap<>();
    private long periodStart = System.currentTimeMillis();

    /** What is known of one machine. */
    private static final class Machine {
        String type = "";
        boolean counted;
        long lastCount;
        long lastStepTime = -1;
        long parts;
        long cycleMillis;
        long cycleParts;
        String state;
        long stateSince;
        final Map<String, Long> stateMillis = new TreeMap<>();
    }

    /** A value of a machine's part counter; a counter that goes down was reset or wrapped and counts from 0. */
    public synchronized void parts(Exchange exchange) {
        TagValue v = value(exchange);
        if (v == null || !(v.value() instanceof Number)) {
            return;
        }
        Machine m = machine(exchange.getMessage());
        long count = ((Number) v.value()).longValue();
        long time = v.sourceTime();
        if (m.counted) {
            long step = count >= m.lastCount ? count - m.lastCount : count;
            if (step > 0) {
                m.parts += step;
                if (m.lastStepTime >= 0 && time > m.lastStepTime) {
                    m.cycleMillis += time - m.lastStepTime;
                    m.cycleParts += step;
                }
                m.lastStepTime = time;
            }
        }
        m.counted = true;
        m.lastCount = count;
    }

    /** A value of a machine's state tag; the time until the next value counts for this state. */
    public synchronized void state(Exchange exchange) {
        TagValue v = value(exchange);
        if (v == null) {
            return;
        }
        Machine m = machine(exchange.getMessage());
        long time = v.sourceTime();
        closeState(m, time);
        m.state = v.valueAsText();
        m.stateSince = time;
    }

    /**
     * One row per machine for the period that ends now, and the start of the next one. Keys:
     * {@code machine}, {@code machineType}, {@code periodStart}, {@code periodEnd} (SQL timestamps),
     * {@code partCount}, {@code meanCycleSeconds} (null without two counter steps),
     * {@code stateSeconds} (JSON object: state value to seconds).
     */
    public synchronized List<Map<String, Object>> summarize() {
        long now = System.currentTimeMillis();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<String, Machine> e : machines.entrySet()) {
            Machine m = e.getValue();
            closeState(m, now);
            if (m.state != null) {
                m.stateSince = now;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("machine", e.getKey());
            row.put("machineType", m.type);
            row.put("periodStart", new Timestamp(periodStart));
            row.put("periodEnd", new Timestamp(now));
            row.put("partCount", m.parts);
            row.put("meanCycleSeconds", m.cycleParts == 0 ? null : m.cycleMillis / 1000.0 / m.cycleParts);
            row.put("stateSeconds", json(m.stateMillis));
            rows.add(row);
            m.parts = 0;
            m.cycleMillis = 0;
            m.cycleParts = 0;
            m.stateMillis.clear();
        }
        periodStart = now;
        return rows;
    }

    private void closeState(Machine m, long time) {
        if (m.state != null) {
            long from = Math.max(m.stateSince, periodStart);
            if (time > from) {
                m.stateMillis.merge(m.state, time - from, Long::sum);
            }
        }
    }

    private Machine machine(Message message) {
        String thing = message.getHeader(FogwerkHeaders.THING, String.class);
        if (thing == null) {
            thing = message.getHeader(FogwerkHeaders.CONNECTION, String.class);
        }
        Machine m = machines.computeIfAbsent(thing == null ? "unknown" : thing, t -> new Machine());
        String type = message.getHeader(FogwerkHeaders.THING_TYPE, String.class);
        if (type != null) {
            m.type = type;
        }
        return m;
    }

    private static TagValue value(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        if (!(body instanceof TagValue)) {
            throw new IllegalArgumentException("the production summary takes fogwerk:tags values, got "
                    + (body == null ? "no body" : body.getClass().getName()));
        }
        TagValue v = (TagValue) body;
        return v.value() == null ? null : v;
    }

    private static String json(Map<String, Long> millis) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Long> e : millis.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"');
            for (char c : e.getKey().toCharArray()) {
                if (c == '"' || c == '\\') {
                    sb.append('\\').append(c);
                } else if (c >= ' ') {
                    sb.append(c);
                }
            }
            sb.append("\":").append(String.format(Locale.ROOT, "%.3f", e.getValue() / 1000.0));
        }
        return sb.append('}').toString();
    }
}
