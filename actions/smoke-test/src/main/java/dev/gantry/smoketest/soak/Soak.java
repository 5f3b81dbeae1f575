package dev.gantry.smoketest.soak;

import dev.gantry.common.action.Log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a {@link SoakPlan}: picks the engine ({@link NioEngine} for plain HTTP on one origin, else
 * {@link HttpClientEngine}), prints a progress line every few seconds, and judges the generator itself: when
 * schedule lag p99 exceeds max(10 ms, 10% of the interval), or fewer than 95% of the measured requests were
 * sent in time, the result is {@code saturated} and the caller must not call it a pass.
 */
public final class Soak {
    /** The fraction of the intended rate below which a soak is inconclusive. */
    public static final double MIN_ACHIEVED = 0.95;

    private Soak() {
    }

    public static SoakResult run(SoakPlan plan, Log log) {
        return run(plan, log, 5_000_000_000L);
    }

    static SoakResult run(SoakPlan plan, Log log, long progressEveryNanos) {
        return run(plan, log, progressEveryNanos, NioEngine.supports(plan.targets()) ? new NioEngine() : new HttpClientEngine());
    }

    static SoakResult run(SoakPlan plan, Log log, long progressEveryNanos, SoakEngine engine) {
        SoakRecorder rec = new SoakRecorder(plan.targets().size());
        long cpu0 = processCpuNanos();
        long[] nextTick = {0};
        SoakEngine.Timing timing;
        try {
            timing = engine.run(plan, rec, (now, t) -> {
                if (nextTick[0] == 0) nextTick[0] = t.start() + progressEveryNanos;
                if (now < nextTick[0]) return;
                nextTick[0] += progressEveryNanos;
                long[] w = rec.takeWindow();
                double secs = progressEveryNanos / 1e9;
                String phase = now < t.measureStart() ? "warm-up" : "measuring";
                log.info(String.format(Locale.ROOT, "soak %s %.0f/%.0f s: %.0f req/s answered, %d errors, p99 %.1f ms (corrected)",
                        phase, (now - t.start()) / 1e9, (t.end() - t.start()) / 1e9, w[0] / secs, w[1], w[2] / 1000.0));
            });
        } catch (IOException e) {
            throw new UncheckedIOException("the soak could not run: " + e.getMessage(), e);
        }
        long cpu = processCpuNanos() - cpu0;
        return judge(plan, engine.name(), rec.snapshot(), cpu);
    }

    static SoakResult judge(SoakPlan plan, String engine, SoakRecorder.Snapshot s, long cpuNanos) {
        Map<String, SoakResult.Stats> per = new LinkedHashMap<>();
        long count = 0;
        long errors = 0;
        for (int i = 0; i < plan.targets().size(); i++) {
            long n = s.ok()[i] + s.errors()[i];
            count += n;
            errors += s.errors()[i];
            per.merge(plan.targets().get(i).name(), new SoakResult.Stats(n, s.errors()[i], s.corrected()[i], s.uncorrected()[i]),
                    (a, b) -> a);
        }
        SoakResult.Stats overall = new SoakResult.Stats(count, errors, s.allCorrected(), s.allUncorrected());
        long total = plan.totalSlots();
        long measuredSlots = 0;
        long warmupNanos = plan.warmup().toNanos();
        // slots are evenly spaced: count those whose offset is at or after the warm-up
        long firstMeasured = (long) Math.ceil(warmupNanos * plan.rate() / 1e9);
        while (firstMeasured > 0 && plan.offsetNanos(firstMeasured - 1) >= warmupNanos) firstMeasured--;
        while (firstMeasured < total && plan.offsetNanos(firstMeasured) < warmupNanos) firstMeasured++;
        measuredSlots = total - firstMeasured;
        double seconds = plan.duration().toNanos() / 1e9;
        double achieved = s.measuredSent() / seconds;
        long missed = Math.max(0, measuredSlots - s.measuredSent());
        double lagP99 = s.lag().percentile(99) / 1000.0;
        double lagMax = s.lag().max() / 1000.0;
        double lagLimit = Math.max(10.0, 0.1 * plan.intervalNanos() / 1e6);
        List<String> reasons = new ArrayList<>();
        if (measuredSlots > 0 && s.measuredSent() < MIN_ACHIEVED * measuredSlots) {
            reasons.add(String.format(Locale.ROOT, "only %.0f of the %.0f req/s asked were sent (%d requests never left; max-in-flight %d)",
                    achieved, plan.rate(), missed, plan.maxInFlight()));
        }
        if (lagP99 > lagLimit) {
            reasons.add(String.format(Locale.ROOT, "the load generator fell behind its own schedule: schedule lag p99 %.1f ms > %.1f ms",
                    lagP99, lagLimit));
        }
        String reason = reasons.isEmpty() ? null : String.join("; ", reasons);
        double cpuMs = cpuNanos / 1e6;
        long requests = s.measuredSent() + s.warmupSent();
        return new SoakResult(engine, plan.rate(), seconds, overall, per, measuredSlots, s.measuredSent(), missed, achieved,
                lagP99, lagMax, lagLimit, reason != null, reason, s.errorReasons(), s.statuses(), s.warmupSent(), cpuMs,
                requests == 0 ? 0 : cpuMs * 1000.0 / requests);
    }

    /**
     * CPU time of this whole process (all threads, user + system), or 0 where the platform does not report it.
     * {@link ProcessHandle} is in java.base, so the image needs no java.management / jdk.management for this; on
     * Linux it reads {@code /proc/self/stat}, in clock ticks (10 ms), which is plenty for a soak of seconds.
     */
    static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
