package dev.gantry.smoketest.soak;

import dev.gantry.common.action.Log;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Runs a {@link SoakPlan} on the {@link NioEngine}, with a {@link StallMeter} beside it, prints a progress line
 * every few seconds, and has the generator account for itself ({@link SoakResult.Generator}): it kept up when its
 * schedule lag p99 and the machine's stalls p99 stay within max(10 ms, 10% of the interval), its loop was busy
 * under 90% of the time, and its connections were not too few for the rate at the app's latency. Whether that
 * matters for the verdict is the gates' business: lag only ever makes corrected latency worse, so a soak whose
 * gates hold anyway is a pass.
 */
public final class Soak {
    /** How much of the wall time the generator's loop may spend working before it counts as saturated. */
    static final double MAX_LOOP_BUSY = 0.9;
    /** How full the connections may be on average (Little's law) before max-in-flight counts as too few. */
    static final double MAX_OCCUPANCY = 0.9;
    /** How the schedule-lag problem begins (the gates take the lag out; the other problems they cannot). */
    static final String LAG_PROBLEM = "the generator noticed due requests late";

    private Soak() {
    }

    public static SoakResult run(SoakPlan plan, Log log) {
        return run(plan, log, 5_000_000_000L, System::nanoTime);
    }

    static SoakResult run(SoakPlan plan, Log log, long progressEveryNanos, LongSupplier clock) {
        SoakRecorder rec = new SoakRecorder(plan.targets().size());
        long cpu0 = processCpuNanos();
        long[] nextTick = {0};
        SoakEngine engine = new NioEngine(clock);
        SoakEngine.Timing timing;
        Histogram hiccups;
        long stallTotal;
        try (StallMeter meter = StallMeter.start(clock)) {
            timing = engine.run(plan, rec, (now, t) -> {
                if (nextTick[0] == 0) nextTick[0] = t.start() + progressEveryNanos;
                if (now < nextTick[0]) return;
                nextTick[0] += progressEveryNanos;
                long[] w = rec.takeWindow();
                double secs = progressEveryNanos / 1e9;
                String phase = now < t.measureStart() ? "warm-up" : "measuring";
                log.info(String.format(Locale.ROOT, "soak %s %.0f/%.0f s: %.0f req/s answered, %d errors, p99 %.1f ms (corrected)",
                        phase, (now - t.start()) / 1e9, (t.end() - t.start()) / 1e9, w[0] / secs, w[1], w[2] / 1000.0));
            }, meter);
            hiccups = meter.hiccups();
            stallTotal = meter.totalStallNanos();
        } catch (IOException e) {
            throw new UncheckedIOException("the soak could not run: " + e.getMessage(), e);
        }
        long cpu = processCpuNanos() - cpu0;
        return judge(plan, engine.name(), rec.snapshot(), timing, hiccups, stallTotal, cpu);
    }

    static SoakResult judge(SoakPlan plan, String engine, SoakRecorder.Snapshot s, SoakEngine.Timing timing,
                            Histogram hiccups, long stallTotalNanos, long cpuNanos) {
        Map<String, SoakResult.Stats> per = new LinkedHashMap<>();
        long errors = 0;
        for (int i = 0; i < plan.targets().size(); i++) {
            long n = s.ok()[i] + s.errors()[i];
            errors += s.errors()[i];
            per.merge(plan.targets().get(i).name(), new SoakResult.Stats(n, s.errors()[i], s.corrected()[i], s.uncorrected()[i],
                    s.asSent()[i], s.floor()[i], s.statuses()[i]), (a, b) -> a);
        }
        long count = s.allCorrected().getTotalCount();
        SoakResult.Stats overall = new SoakResult.Stats(count, errors, s.allCorrected(), s.allUncorrected(), s.allAsSent(),
                s.allFloor(), s.allStatuses());
        long measuredSlots = plan.measuredSlots();
        double seconds = plan.duration().toNanos() / 1e9;
        double achieved = s.measuredSent() / seconds;
        long missed = Math.max(0, measuredSlots - s.measuredSent());

        double limit = Math.max(10.0, 0.1 * plan.intervalNanos() / 1e6);
        double lagP99 = p(s.lag(), 99);
        double stallP99 = p(hiccups, 99);
        double wall = Math.max(1, timing.end() - timing.start());
        double busy = Math.min(1.0, timing.busyNanos() / wall);
        double meanMs = s.allUncorrected().getTotalCount() == 0 ? 0 : s.allUncorrected().getMean() / 1000.0;
        double inFlight = achieved * meanMs / 1000.0;
        double occupancy = inFlight / plan.maxInFlight();
        List<String> problems = new ArrayList<>();
        if (lagP99 > limit) {
            problems.add(String.format(Locale.ROOT, LAG_PROBLEM + ": schedule lag p99 %.1f ms > %.1f ms", lagP99, limit));
        }
        if (stallP99 > limit) {
            problems.add(String.format(Locale.ROOT, "the machine kept the generator from running: stalls p99 %.1f ms > %.1f ms"
                    + " (busy CPUs or GC)", stallP99, limit));
        }
        if (busy > MAX_LOOP_BUSY) {
            problems.add(String.format(Locale.ROOT, "the generator's loop was busy %.0f%% of the time (client CPU)", busy * 100));
        }
        if (occupancy > MAX_OCCUPANCY) {
            problems.add(String.format(Locale.ROOT, "max-in-flight %d is too few: at the app's mean latency of %.1f ms, %.0f req/s"
                    + " keep about %.0f requests in flight (Little's law), so due requests queued for a connection",
                    plan.maxInFlight(), meanMs, achieved, inFlight));
        }
        double cpuMs = cpuNanos / 1e6;
        long requests = s.measuredSent() + s.warmupSent();
        SoakResult.Generator generator = new SoakResult.Generator(lagP99, p(s.lag(), 100), limit, p(s.slotWait(), 99),
                p(s.slotWait(), 100), s.waited(), stallP99, p(hiccups, 100), stallTotalNanos / 1e6, busy, cpuMs,
                requests == 0 ? 0 : cpuMs * 1000.0 / requests, occupancy, List.copyOf(problems));
        String rules = String.join("; ", plan.targets().stream().map(t -> t.name() + ": " + t.errors().describe()).distinct().toList());
        return new SoakResult(engine, plan.rate(), seconds, overall, per, measuredSlots, s.measuredSent(), missed, achieved,
                generator, s.errorReasons(), s.statusesSeen(), s.warmupSent(), plan.maxInFlight(), rules, null);
    }

    private static double p(Histogram h, double q) {
        if (h.getTotalCount() == 0) return 0;
        return (q >= 100 ? h.getMaxValue() : h.getValueAtPercentile(q)) / 1000.0;
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
