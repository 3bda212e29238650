package org.fogwerk.camel.internal.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;

import org.fogwerk.api.Quality;
import org.fogwerk.api.alarm.AlarmEvent;
import org.junit.jupiter.api.Test;

class AlarmJournalTest {

    private static List<Long> sequences(List<AlarmEvent> events) {
        return events.stream().map(AlarmEvent::sequence).collect(Collectors.toList());
    }

    private static void raise(AlarmJournal journal, int n) {
        for (int i = 0; i < n; i++) {
            journal.record("r", "", "plc1", "temp", "temp_alarm", i % 2 == 0 ? "HIGH" : "NORMAL",
                    i % 2 == 0 ? "NORMAL" : "HIGH", 90, 80, Quality.GOOD, i);
        }
    }

    @Test
    void keepsTheNewestEventsUpToItsCapacity() {
        AlarmJournal journal = new AlarmJournal(3);
        raise(journal, 5);
        assertEquals(List.of(5L, 4L, 3L), sequences(journal.recent(10)));
        assertEquals(List.of(5L, 4L), sequences(journal.recent(2)));
        assertEquals(List.of(), journal.recent(0));
    }

    @Test
    void aReaderGetsEachLaterEventOnceInOrder() {
        AlarmJournal journal = new AlarmJournal(10);
        assertEquals(List.of(), journal.after(0));
        raise(journal, 3);
        assertEquals(List.of(1L, 2L, 3L), sequences(journal.after(0)));
        assertEquals(List.of(3L), sequences(journal.after(2)));
        assertEquals(List.of(), journal.after(3));
        raise(journal, 1);
        assertEquals(List.of(4L), sequences(journal.after(3)));
    }
}
