package org.fogwerk.camel.internal.edge;

/**
 * Numeric deadband: a new value counts as a change only when it differs from the last sent value
 * by more than the band. The band is the wider of an absolute amount and a percentage; the
 * percentage is of a configured span (the tag's measuring range, as OPC UA's percent deadband
 * uses the engineering-unit range) or, without a span, of the magnitude of the last sent value.
 */
final class Deadband {

    private final double absolute;
    private final double fraction;
    private final double span;

    /**
     * @param absolute amount, 0 for none
     * @param percent  percentage, 0 for none
     * @param span     span the percentage refers to, 0 for the last sent value
     */
    Deadband(double absolute, double percent, double span) {
        this.absolute = absolute;
        this.fraction = percent / 100.0;
        this.span = span;
    }

    /** Whether {@code current} lies outside the band around {@code last}. */
    boolean exceeded(double last, double current) {
        if (current == last) {
            return false;
        }
        if (Double.isNaN(current) || Double.isNaN(last)) {
            return !(Double.isNaN(current) && Double.isNaN(last));
        }
        double delta = Math.abs(current - last);
        double relative = fraction * (span > 0 ? span : Math.abs(last));
        return delta > Math.max(absolute, relative);
    }
}
