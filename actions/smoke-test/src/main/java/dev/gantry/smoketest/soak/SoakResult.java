package dev.gantry.smoketest.soak;

import dev.gantry.smoketest.slo.Samples;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Map;

/**
 * What a soak measured. Latency histograms in microseconds: {@code corrected} from the intended send time (the
 * gates judge it), {@code uncorrected} from the actual send (shown beside it), {@code floor} with every delay the
 * generator could have added taken out. {@link Generator} is the generator's account of itself.
 */
public record SoakResult(String engine, double targetRps, double durationSeconds, Stats overall,
                         Map<String, Stats> perTarget, long measuredSlots, long measuredSent, long missed,
                         double achievedRps, Generator generator, Map<String, Long> errorReasons,
                         Map<Integer, Long> statuses, long warmupSent, int maxInFlight, String errorRule, Writes writes) {

    /**
     * The soak's writes, when the checks file allowed them: how many were planned (warm-up included), answered,
     * answered as errors, gave their captures, and were undone by the cleanup check (or failed to be); null
     * without writes.
     */
    public record Writes(long planned, long answered, long errors, long captured, long cleaned, long cleanupFailed,
                         String cleanupCheck, List<String> problems) {
        /** Writes that may have left something behind: every answered write the cleanup did not undo. */
        public long leftBehind() {
            return cleanupCheck == null ? 0 : answered - cleaned;
        }
    }

    public SoakResult withWrites(Writes w) {
        return new SoakResult(engine, targetRps, durationSeconds, overall, perTarget, measuredSlots, measuredSent, missed,
                achievedRps, generator, errorReasons, statuses, warmupSent, maxInFlight, errorRule, w);
    }

    /** The fraction of the intended rate below which a soak cannot pass. */
    public static final double MIN_ACHIEVED = 0.95;

    /** Counts and latency of one target, or of all together; {@code statuses} by code, index 0 = no answer. */
    public record Stats(long count, long errors, Histogram corrected, Histogram uncorrected, Histogram asSent,
                        Histogram floor, long[] statuses) {
        public double errorRate() {
            return count == 0 ? 0 : (double) errors / count;
        }

        /** Corrected latency at percentile {@code p}, in ms. */
        public double p(double p) {
            return ms(corrected, p);
        }

        /** Uncorrected latency at percentile {@code p}, in ms. */
        public double uncorrectedP(double p) {
            return ms(uncorrected, p);
        }

        public double floorP(double p) {
            return ms(floor, p);
        }

        public double avg() {
            return corrected.getTotalCount() == 0 ? 0 : corrected.getMean() / 1000.0;
        }

        public double max() {
            return corrected.getTotalCount() == 0 ? 0 : corrected.getMaxValue() / 1000.0;
        }

        public double uncorrectedMax() {
            return uncorrected.getTotalCount() == 0 ? 0 : uncorrected.getMaxValue() / 1000.0;
        }

        public Samples samples(String basis) {
            return new Samples(corrected, asSent, floor, count, errors, statuses, basis);
        }

        private static double ms(Histogram h, double p) {
            return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p) / 1000.0;
        }
    }

    /**
     * The generator's own delays, and whether it kept up. {@code lag}: how late it noticed due slots (send lag);
     * {@code slotWait}: how long due slots waited for a free connection ({@code waited} of them over 1 ms);
     * {@code stall}: how long the machine kept it from running (another process's CPU, GC); {@code loopBusy}: the
     * share of the time its loop was working rather than waiting (client CPU); {@code occupancy}: requests in flight
     * on average (Little's law) over {@code max-in-flight}. {@code problems} is empty when it kept up.
     */
    public record Generator(double lagP99Ms, double lagMaxMs, double lagLimitMs, double slotWaitP99Ms,
                            double slotWaitMaxMs, long waited, double stallP99Ms, double stallMaxMs, double stallTotalMs,
                            double loopBusy, double cpuMillis, double cpuMillisPer1000, double occupancy,
                            List<String> problems) {
        public boolean keptUp() {
            return problems.isEmpty();
        }
    }

    /** Fewer than 95% of the measured slots were sent: the app did not get the load asked for. */
    public boolean rateShortfall() {
        return measuredSlots > 0 && measuredSent < MIN_ACHIEVED * measuredSlots;
    }

    public String shortfallReason() {
        return String.format(java.util.Locale.ROOT, "only %.0f of the %.0f req/s asked were sent (%d requests never left; max-in-flight %d)",
                achievedRps, targetRps, missed, maxInFlight);
    }

    /** The generator did not keep up, or did not send the rate: its numbers may hold its own delays. */
    public boolean saturated() {
        return rateShortfall() || !generator.keptUp();
    }

    /**
     * What could have added latency behind the generator's own schedule lag (which the gates take out, being
     * measured exactly): the machine's stalls, its loop's CPU, too few connections; null when none did.
     */
    public String generatorProblem() {
        List<String> p = generator.problems().stream().filter(s -> !s.startsWith(Soak.LAG_PROBLEM)).toList();
        return p.isEmpty() ? null : String.join("; ", p);
    }

    /** Why {@link #saturated()}, or null. */
    public String saturationReason() {
        if (!saturated()) return null;
        StringBuilder b = new StringBuilder();
        if (rateShortfall()) b.append(shortfallReason());
        for (String p : generator.problems()) b.append(b.isEmpty() ? "" : "; ").append(p);
        return b.toString();
    }

    public double lagP99Ms() {
        return generator.lagP99Ms();
    }

    public double lagLimitMs() {
        return generator.lagLimitMs();
    }
}
