package dev.gantry.smoketest.soak;

import java.util.Map;

/**
 * What a soak measured. Latency in milliseconds; {@code corrected} from the intended send time (the gate uses
 * it), {@code uncorrected} from the actual send (shown beside it, never gated on). {@code saturated} says the
 * generator could not keep its schedule, with the reason; such a soak proves nothing about the service.
 */
public record SoakResult(String engine, double targetRps, double durationSeconds, Stats overall,
                         Map<String, Stats> perTarget, long measuredSlots, long measuredSent, long missed,
                         double achievedRps, double lagP99Ms, double lagMaxMs, double lagLimitMs,
                         boolean saturated, String saturationReason, Map<String, Long> errorReasons,
                         Map<Integer, Long> statuses, long warmupSent, double cpuMillis, double cpuMillisPer1000) {

    /** Counts and latency of one target, or of all together. */
    public record Stats(long count, long errors, LatencyHistogram corrected, LatencyHistogram uncorrected) {
        public double errorRate() {
            return count == 0 ? 0 : (double) errors / count;
        }

        /** Corrected latency at percentile {@code p}, in ms. */
        public double p(double p) {
            return corrected.percentile(p) / 1000.0;
        }

        /** Uncorrected latency at percentile {@code p}, in ms. */
        public double uncorrectedP(double p) {
            return uncorrected.percentile(p) / 1000.0;
        }

        public double avg() {
            return corrected.mean() / 1000.0;
        }

        public double min() {
            return corrected.min() / 1000.0;
        }

        public double max() {
            return corrected.max() / 1000.0;
        }
    }
}
