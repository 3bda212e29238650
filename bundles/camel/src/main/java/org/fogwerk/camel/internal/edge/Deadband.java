package org.fogwerk.camel.internal.edge;

/**
 * Numeric deadband: a new value counts as a change only when it differs from the last sent value
 * by more than the band. The band is the wider of an absolute amount and a percentage; the
 * percentage is of a configured span (the tag's measuring range, as OPC UA's percent deadband
 * uses the engineering-unit range) or, without a span, of the magnitude of the last sent value.
 *
 * @param absolute amount, 0 for none
 * @param percent  percentage, 0 for none
 * @param span     span the percentage refers to, 0 for the last sent value
 */
record Deadband(double absolute, double percent, double span) {

    /** Whether {@code current} lies outside the band around {@code last}. */
    boolean exceeded(double last, double current) {
        if (current == last) {
            return false;
        }
        if (Double.isNaN(current) || Double.isNaN(last)) {
            return !(Double.isNaN(current) && Double.isNaN(last));
        }
        double delta = Math.abs(current - last);
        double relative = percent / 100.0 * (span > 0 ? span : Math.abs(last));
        return delta > Math.max(absolute, relative);
    }
}
