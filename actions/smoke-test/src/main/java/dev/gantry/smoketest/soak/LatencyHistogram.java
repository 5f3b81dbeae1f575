package dev.gantry.smoketest.soak;

/**
 * Latencies in microseconds, in log-linear buckets (the HdrHistogram layout in 60 lines): values below 256 µs
 * are exact, larger ones fall in buckets 1/128 of their power of two wide, so every percentile is within 0.8%
 * of the true value. Values above one hour are clamped. Not thread-safe; the soak records from one thread or
 * under a lock.
 */
public final class LatencyHistogram {
    private static final int LINEAR = 256;
    private static final int SUB = 128;
    private static final long MAX_MICROS = 3_600_000_000L;
    private static final int BUCKETS = LINEAR + 26 * SUB;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long sum;
    private long min = Long.MAX_VALUE;
    private long max;

    public void record(long micros) {
        long v = Math.max(0, Math.min(MAX_MICROS, micros));
        counts[index(v)]++;
        total++;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
    }

    public void recordNanos(long nanos) {
        record(nanos / 1000);
    }

    static int index(long v) {
        if (v < LINEAR) return (int) v;
        int e = 63 - Long.numberOfLeadingZeros(v) - 7;
        return LINEAR + (e - 1) * SUB + (int) ((v >> e) - SUB);
    }

    /** The highest value that falls in bucket {@code i}. */
    static long highest(int i) {
        if (i < LINEAR) return i;
        int e = (i - LINEAR) / SUB + 1;
        long m = (i - LINEAR) % SUB + SUB;
        return ((m + 1) << e) - 1;
    }

    public long count() {
        return total;
    }

    /**
     * The value at percentile {@code p} (0–100): the smallest recorded value's bucket such that at least
     * {@code p}% of samples are at or below it, reported as the bucket's highest value (capped at the max seen).
     */
    public long percentile(double p) {
        if (total == 0) return 0;
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) return Math.min(highest(i), max);
        }
        return max;
    }

    public long max() {
        return total == 0 ? 0 : max;
    }

    public long min() {
        return total == 0 ? 0 : min;
    }

    public double mean() {
        return total == 0 ? 0 : (double) sum / total;
    }

    public void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) counts[i] += other.counts[i];
        total += other.total;
        sum += other.sum;
        if (other.total > 0) {
            min = Math.min(min, other.min);
            max = Math.max(max, other.max);
        }
    }
}
