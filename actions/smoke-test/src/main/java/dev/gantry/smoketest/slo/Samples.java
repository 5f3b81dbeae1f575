package dev.gantry.smoketest.slo;

import org.HdrHistogram.Histogram;

/**
 * What a gate is judged on, and where it comes from ({@code basis}). Latencies in microseconds: {@code latency}
 * as measured (for the soak: corrected, from the intended send time), {@code asSent} without the generator's
 * schedule lag (an upper bound on what the app caused), {@code floor} with every delay the generator could have
 * added taken out (a lower bound); for the checks, which have no schedule, all three are the same histogram.
 * {@code statuses} counts answers by HTTP status, index 0 being requests that got no answer at all.
 */
public record Samples(Histogram latency, Histogram asSent, Histogram floor, long count, long errors, long[] statuses,
                      String basis) {

    /** Room for every status code and index 0 for "no answer". */
    public static final int STATUS_SLOTS = 600;

    public Samples(Histogram latency, long count, long errors, long[] statuses, String basis) {
        this(latency, latency, latency, count, errors, statuses, basis);
    }

    /** A histogram for latencies in microseconds, 3 significant digits (HdrHistogram's default use). */
    public static Histogram histogram() {
        return new Histogram(3);
    }

    public double errorRate() {
        return count == 0 ? Double.NaN : (double) errors / count;
    }

    /** The share of requests a status gate counts (e.g. 5xx plus no answer), or NaN without samples. */
    public double statusRate(Slo slo) {
        if (count == 0) return Double.NaN;
        long n = 0;
        for (int code = 0; code < statuses.length; code++) if (statuses[code] > 0 && slo.countsStatus(code)) n += statuses[code];
        return (double) n / count;
    }

    /**
     * Judges {@code slo} on these samples: the app's latency lies between {@code floor} and {@code asSent}.
     * {@code generatorProblem} is null when the load generator kept up (the machine let it run, its loop had
     * time, its connections sufficed), else why it did not; it only matters when a latency gate holds at one bound
     * and not at the other.
     */
    public SloResult evaluate(Slo slo, boolean isDefault, String generatorProblem) {
        long needed = slo.minSamples();
        if (count < needed) {
            double v = count == 0 ? Double.NaN : value(slo, latency);
            return new SloResult(slo, SloResult.Status.TOO_FEW, v, v, v, count, needed, basis, null, isDefault);
        }
        if (slo.metric().isRate()) {
            double v = slo.metric() == Slo.Metric.STATUS ? statusRate(slo) : errorRate();
            return new SloResult(slo, slo.passes(v) ? SloResult.Status.PASSED : SloResult.Status.FAILED, v, v, v, count, needed,
                    basis, null, isDefault);
        }
        double measured = value(slo, latency);
        double upper = value(slo, asSent);
        double lower = value(slo, floor);
        boolean atUpper = slo.passes(upper);
        boolean atLower = slo.passes(lower);
        SloResult.Status status;
        String note = null;
        if (atUpper && atLower) {
            status = SloResult.Status.PASSED;
        } else if (!atUpper && !atLower) {
            status = SloResult.Status.FAILED;
        } else if (generatorProblem == null) {
            // the generator kept up: the difference is time requests spent queued behind the app's slow answers
            status = atUpper ? SloResult.Status.PASSED : SloResult.Status.FAILED;
        } else {
            status = SloResult.Status.UNDECIDED;
            note = generatorProblem;
        }
        return new SloResult(slo, status, measured, upper, lower, count, needed, basis, note, isDefault);
    }

    private static double value(Slo slo, Histogram h) {
        if (h.getTotalCount() == 0) return Double.NaN;
        return switch (slo.metric()) {
            case PERCENTILE -> h.getValueAtPercentile(slo.percentile()) / 1000.0;
            case MED -> h.getValueAtPercentile(50) / 1000.0;
            case AVG -> h.getMean() / 1000.0;
            case MIN -> h.getMinValue() / 1000.0;
            case MAX -> h.getMaxValue() / 1000.0;
            case ERROR_RATE, STATUS -> throw new IllegalArgumentException("not a latency: " + slo.text());
        };
    }
}
