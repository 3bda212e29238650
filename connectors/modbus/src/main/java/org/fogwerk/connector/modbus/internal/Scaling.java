package org.fogwerk.connector.modbus.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A tag's {@code value = raw × scale + offset}, worked out on the decimals the user wrote, not on
 * their binary approximations: raw 23 with scale 0.1 and offset 5 reads as 7.3 (the double
 * nearest to the exact result), not as 7.300000000000001, so a set point written as 7.3 reads
 * back as 7.3 and a shadow's delta clears. The other way 7.3 is raw 23, and a value between two
 * raw steps goes to the nearer one, a value half-way away from zero, as on paper (0.15 at scale
 * 0.1 is raw 2).
 * <p>
 * Scale and offset are taken apart once, into whole numbers of a common decimal unit. A whole raw
 * value (every integer register type) then costs a multiplication, an addition and one division,
 * which is exact and rounds once; only results beyond 2^53 units, raw values with a fraction
 * (float32, float64) and writes go through {@link BigDecimal}.
 */
final class Scaling {

    private static final long EXACT = 1L << 53;
    private static final double[] POW10 = new double[23];
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p; // 10^0 .. 10^22: exact as doubles
            p *= 10;
        }
    }

    /** value = raw. */
    static final Scaling NONE = new Scaling(1.0, 0.0);

    private final double scale;
    private final double offset;
    private final BigDecimal scaleDecimal;
    private final BigDecimal offsetDecimal;
    /** Decimal places of the common unit, or -1 when the whole numbers would be too large. */
    private final int places;
    /** Scale and offset in units of 10^-places. */
    private final long scaleUnits;
    private final long offsetUnits;
    /** The largest raw magnitude whose product with {@link #scaleUnits} stays below 2^62. */
    private final long rawLimit;

    Scaling(double scale, double offset) {
        this.scale = scale;
        this.offset = offset;
        if (!Double.isFinite(scale) || !Double.isFinite(offset)) {
            // never from a tag line; the plain formula then
            scaleDecimal = null;
            offsetDecimal = null;
            places = -1;
            scaleUnits = 0;
            offsetUnits = 0;
            rawLimit = -1;
            return;
        }
        scaleDecimal = decimal(scale);
        offsetDecimal = decimal(offset);
        int p = Math.max(scaleDecimal.scale(), offsetDecimal.scale());
        BigInteger s = scaleDecimal.setScale(p).unscaledValue();
        BigInteger o = offsetDecimal.setScale(p).unscaledValue();
        boolean fast = p < POW10.length && s.bitLength() <= 62 && o.bitLength() <= 52;
        places = fast ? p : -1;
        scaleUnits = fast ? s.longValue() : 0;
        offsetUnits = fast ? o.longValue() : 0;
        rawLimit = !fast ? -1 : scaleUnits == 0 ? Long.MAX_VALUE : (1L << 62) / Math.abs(scaleUnits);
    }

    /** The number as the user wrote it (its shortest decimal form), without trailing zeros. */
    private static BigDecimal decimal(double d) {
        BigDecimal b = BigDecimal.valueOf(d).stripTrailingZeros();
        return b.scale() < 0 ? b.setScale(0) : b;
    }

    double scale() {
        return scale;
    }

    double offset() {
        return offset;
    }

    /** Whether values differ from the raw ones. */
    boolean scaled() {
        return scale != 1.0 || offset != 0.0;
    }

    /** The value of a whole raw number. */
    double value(long raw) {
        if (raw >= -rawLimit && raw <= rawLimit) {
            long units = raw * scaleUnits + offsetUnits; // |raw × scale| < 2^62, |offset| < 2^52: no overflow
            if (units >= -EXACT && units <= EXACT) {
                return units / POW10[places]; // both exact: the one division rounds correctly
            }
        }
        if (scaleDecimal == null) {
            return raw * scale + offset;
        }
        return BigDecimal.valueOf(raw).multiply(scaleDecimal).add(offsetDecimal).doubleValue();
    }

    /** The value of a raw number that may have a fraction (a float register). */
    double value(double raw) {
        if (raw == (long) raw && Math.abs(raw) <= EXACT) {
            return value((long) raw);
        }
        if (scaleDecimal == null || !Double.isFinite(raw)) {
            return raw * scale + offset;
        }
        return BigDecimal.valueOf(raw).multiply(scaleDecimal).add(offsetDecimal).doubleValue();
    }

    /**
     * The whole raw number nearest to {@code (value - offset) / scale}, half-way away from zero;
     * beyond the range of a long it is the long's limit (which then fails the type's range check).
     */
    long wholeRaw(double value) {
        if (scaleDecimal == null || !Double.isFinite(value) || scale == 0.0) {
            return Math.round((value - offset) / scale);
        }
        BigDecimal r = BigDecimal.valueOf(value).subtract(offsetDecimal).divide(scaleDecimal, 0,
                RoundingMode.HALF_UP);
        return r.max(LONG_MIN).min(LONG_MAX).longValue();
    }

    /** The raw number, fraction kept, of a value: for float registers. */
    double fractionalRaw(double value) {
        if (scaleDecimal == null || !Double.isFinite(value) || scale == 0.0) {
            return (value - offset) / scale;
        }
        return BigDecimal.valueOf(value).subtract(offsetDecimal).divide(scaleDecimal, MathContext.DECIMAL128)
                .doubleValue();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scaling s && Double.compare(scale, s.scale) == 0 && Double.compare(offset, s.offset) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Double.hashCode(scale) + Double.hashCode(offset);
    }

    @Override
    public String toString() {
        return "scale " + scale + ", offset " + offset;
    }
}
