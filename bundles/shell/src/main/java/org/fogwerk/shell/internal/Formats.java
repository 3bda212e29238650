package org.fogwerk.shell.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the fogwerk commands show times, ages and rates. */
final class Formats {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private Formats() {
    }

    static String time(long epochMillis) {
        return TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    /** "12s ago", "3m ago", "2h ago", "4d ago". */
    static String age(Instant since, Instant now) {
        Duration d = Duration.between(since, now);
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s ago";
        }
        if (s < 7200) {
            return s / 60 + "m ago";
        }
        if (s < 172_800) {
            return s / 3600 + "h ago";
        }
        return s / 86_400 + "d ago";
    }

    static String rate(double perSecond) {
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    /** Cuts long text for a table cell. */
    static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
