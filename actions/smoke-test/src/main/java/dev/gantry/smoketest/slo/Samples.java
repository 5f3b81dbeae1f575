package dev.gantry.smoketest.slo;

import dev.gantry.smoketest.soak.LatencyHistogram;

/** Latencies (µs histogram) and outcomes a gate is evaluated over, and where they come from. */
public record Samples(LatencyHistogram latency, long count, long errors, String basis) {

    public double errorRate() {
        return count == 0 ? Double.NaN : (double) errors / count;
    }

    /** Evaluates {@code slo} over these samples. */
    public SloResult evaluate(Slo slo) {
        double v;
        if (count == 0) {
            v = Double.NaN;
        } else {
            v = switch (slo.metric()) {
                case ERROR_RATE -> errorRate();
                case PERCENTILE -> latency.percentile(slo.percentile()) / 1000.0;
                case MED -> latency.percentile(50) / 1000.0;
                case AVG -> latency.mean() / 1000.0;
                case MIN -> latency.min() / 1000.0;
                case MAX -> latency.max() / 1000.0;
            };
        }
        return new SloResult(slo, v, count, basis, !Double.isNaN(v) && slo.passes(v));
    }
}
