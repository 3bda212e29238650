package org.fogwerk.camel.internal.runtime;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.camel.LoggingLevel;
import org.apache.camel.spi.CamelLogger;
import org.fogwerk.support.log.LogThrottle;
import org.slf4j.LoggerFactory;

/**
 * The log of the routes' default error handler, with a budget: a route that fails on every value
 * of a busy tag would otherwise write a stack trace per value and fill the disk. A few lines per
 * window are written as they come; the rest are counted and summed up once the window is over.
 * {@code fogwerk:route-list} still counts every failure and shows the last one.
 */
final class ThrottledErrorLog extends CamelLogger {

    static final int LINES_PER_WINDOW = 5;
    static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final LogThrottle throttle = new LogThrottle(LINES_PER_WINDOW, Duration.ofNanos(WINDOW_NANOS),
            System::nanoTime);

    ThrottledErrorLog() {
        super(LoggerFactory.getLogger("org.fogwerk.camel.routes"), LoggingLevel.ERROR);
    }

    @Override
    public void log(String message, Throwable exception, LoggingLevel level) {
        if (pass()) {
            super.log(message, exception, level);
        }
    }

    @Override
    public void log(String message, Throwable exception) {
        if (pass()) {
            super.log(message, exception);
        }
    }

    @Override
    public void log(String message, LoggingLevel level) {
        if (pass()) {
            super.log(message, level);
        }
    }

    @Override
    public void log(String message) {
        if (pass()) {
            super.log(message);
        }
    }

    private boolean pass() {
        long held = admit(System.nanoTime());
        if (held > 0) {
            super.log(held + " more route failures were not logged in the last "
                    + TimeUnit.NANOSECONDS.toSeconds(WINDOW_NANOS) + " s; fogwerk:route-list counts them per route",
                    LoggingLevel.WARN);
        }
        return held >= 0;
    }

    /**
     * Whether a line may be written now: {@code -1} when not (it is counted), otherwise how many
     * lines of the window that just ended were held back (0 for none).
     */
    long admit(long now) {
        return throttle.admit(now);
    }
}
