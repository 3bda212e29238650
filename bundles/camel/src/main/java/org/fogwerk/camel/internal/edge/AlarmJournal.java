package org.fogwerk.camel.internal.edge;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

import org.fogwerk.api.Quality;
import org.fogwerk.api.alarm.AlarmEvent;
import org.fogwerk.api.alarm.AlarmLog;

/**
 * The newest alarm events of every {@code fogwerk:edge/alarm} step of a Camel context, in memory:
 * what the console and the REST API show as recent alarms. Bounded, so a flapping tag costs a
 * fixed amount of memory.
 */
public final class AlarmJournal implements AlarmLog {

    /** Events kept by default. */
    public static final int DEFAULT_CAPACITY = 1000;

    private final int capacity;
    private final Deque<AlarmEvent> events = new ArrayDeque<>();
    private long sequence;

    public AlarmJournal() {
        this(DEFAULT_CAPACITY);
    }

    AlarmJournal(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
    }

    /** Records one change of state; called from the route's thread. */
    synchronized AlarmEvent record(String route, String thing, String connection, String tag, String alarmTag,
            String level, String previous, double value, double limit, Quality quality, long time) {
        AlarmEvent e = new AlarmEvent(++sequence, route, thing, connection, tag, alarmTag, level, previous, value, limit,
                quality, time);
        if (events.size() == capacity) {
            events.removeFirst();
        }
        events.addLast(e);
        return e;
    }

    @Override
    public synchronized List<AlarmEvent> recent(int limit) {
        List<AlarmEvent> list = new ArrayList<>(Math.max(0, Math.min(limit, events.size())));
        for (Iterator<AlarmEvent> it = events.descendingIterator(); it.hasNext() && list.size() < limit;) {
            list.add(it.next());
        }
        return list;
    }

    @Override
    public synchronized List<AlarmEvent> after(long after) {
        List<AlarmEvent> list = new ArrayList<>();
        for (Iterator<AlarmEvent> it = events.descendingIterator(); it.hasNext();) {
            AlarmEvent e = it.next();
            if (e.sequence() <= after) {
                break;
            }
            list.add(e);
        }
        Collections.reverse(list);
        return list;
    }
}
