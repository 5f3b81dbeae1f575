package dev.gantry.smoketest.soak;

import dev.gantry.smoketest.slo.Samples;
import org.HdrHistogram.Histogram;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where the engines record what happened, in HdrHistograms of microseconds. Latency is recorded three ways:
 * {@code corrected} from the slot's intended send time (wrk2's model; what the gates judge), {@code uncorrected}
 * from the actual send, {@code asSent} from when the generator noticed the slot was due (without its schedule
 * lag), and {@code floor}: the part of it the generator cannot have added (see {@link NioEngine}). The generator's own delays are recorded on their own: schedule lag (how late it noticed a
 * slot was due) and slot wait (how long a due slot waited for a free connection). Only slots whose intended time
 * lies after the warm-up are measured. Thread-safe.
 */
public final class SoakRecorder {
    private final int targets;
    private final Histogram[] corrected;
    private final Histogram[] uncorrected;
    private final Histogram[] floor;
    private final Histogram[] asSent;
    private final long[][] statusCounts;
    private final long[] ok;
    private final long[] errors;
    private final Histogram lag = Samples.histogram();
    private final Histogram slotWait = Samples.histogram();
    private final Map<String, Long> errorReasons = new TreeMap<>();
    private final Map<Integer, Long> statuses = new TreeMap<>();
    private long measuredSent;
    private long warmupSent;
    private long waited;
    private long liveCount;
    private long liveErrors;
    private final Histogram live = Samples.histogram();

    public SoakRecorder(int targets) {
        this.targets = targets;
        corrected = new Histogram[targets];
        uncorrected = new Histogram[targets];
        floor = new Histogram[targets];
        asSent = new Histogram[targets];
        statusCounts = new long[targets][Samples.STATUS_SLOTS];
        for (int i = 0; i < targets; i++) {
            corrected[i] = Samples.histogram();
            uncorrected[i] = Samples.histogram();
            floor[i] = Samples.histogram();
            asSent[i] = Samples.histogram();
        }
        ok = new long[targets];
        errors = new long[targets];
    }

    private static void record(Histogram h, long nanos) {
        h.recordValue(Math.max(0, nanos / 1000));
    }

    /** A measured slot was noticed {@code nanos} after its intended time. */
    public synchronized void lag(long nanos) {
        record(lag, nanos);
    }

    /** A slot was sent, after waiting {@code slotWaitNanos} for a free connection once it was due. */
    public synchronized void sent(boolean measured, long slotWaitNanos) {
        if (measured) {
            measuredSent++;
            record(slotWait, slotWaitNanos);
            if (slotWaitNanos >= 1_000_000L) waited++;
        } else {
            warmupSent++;
        }
    }

    /**
     * An answer arrived; {@code error} by the target's rule; {@code asSentNanos} its latency without the schedule
     * lag, {@code floorNanos} the app's share at least.
     */
    public synchronized void response(int target, boolean measured, long intended, long sent, long done, long asSentNanos,
                                      long floorNanos, int status, boolean error) {
        statuses.merge(status, 1L, Long::sum);
        if (!measured) return;
        latency(target, intended, sent, done, asSentNanos, floorNanos);
        statusCounts[target][status >= 0 && status < Samples.STATUS_SLOTS ? status : 0]++;
        if (!error) {
            ok[target]++;
        } else {
            errors[target]++;
            liveErrors++;
            errorReasons.merge("status " + status, 1L, Long::sum);
        }
    }

    /** No answer: refused, reset, closed, timed out. Latency is recorded up to the failure. */
    public synchronized void failure(int target, boolean measured, long intended, long sent, long done, long asSentNanos,
                                     long floorNanos, String reason) {
        if (!measured) return;
        latency(target, intended, sent, done, asSentNanos, floorNanos);
        statusCounts[target][0]++;
        errors[target]++;
        liveErrors++;
        errorReasons.merge(reason, 1L, Long::sum);
    }

    private void latency(int target, long intended, long sent, long done, long asSentNanos, long floorNanos) {
        record(corrected[target], done - intended);
        record(uncorrected[target], done - sent);
        record(asSent[target], Math.min(asSentNanos, done - intended));
        record(floor[target], floorNanos);
        record(live, done - intended);
        liveCount++;
    }

    /** Progress since the last call: count, errors, corrected p99 in µs; resets the window. */
    public synchronized long[] takeWindow() {
        long[] w = {liveCount, liveErrors, live.getTotalCount() == 0 ? 0 : live.getValueAtPercentile(99)};
        liveCount = 0;
        liveErrors = 0;
        live.reset();
        return w;
    }

    synchronized Snapshot snapshot() {
        Histogram allC = Samples.histogram();
        Histogram allU = Samples.histogram();
        Histogram allF = Samples.histogram();
        Histogram allA = Samples.histogram();
        long[] allS = new long[Samples.STATUS_SLOTS];
        Histogram[] c = new Histogram[targets];
        Histogram[] u = new Histogram[targets];
        Histogram[] f = new Histogram[targets];
        Histogram[] a = new Histogram[targets];
        long[][] s = new long[targets][];
        for (int i = 0; i < targets; i++) {
            allC.add(corrected[i]);
            allU.add(uncorrected[i]);
            allF.add(floor[i]);
            allA.add(asSent[i]);
            for (int k = 0; k < allS.length; k++) allS[k] += statusCounts[i][k];
            c[i] = corrected[i].copy();
            u[i] = uncorrected[i].copy();
            f[i] = floor[i].copy();
            a[i] = asSent[i].copy();
            s[i] = statusCounts[i].clone();
        }
        return new Snapshot(c, u, a, f, s, ok.clone(), errors.clone(), allC, allU, allA, allF, allS, lag.copy(), slotWait.copy(),
                Map.copyOf(errorReasons), Map.copyOf(statuses), measuredSent, warmupSent, waited);
    }

    record Snapshot(Histogram[] corrected, Histogram[] uncorrected, Histogram[] asSent, Histogram[] floor, long[][] statuses,
                    long[] ok, long[] errors, Histogram allCorrected, Histogram allUncorrected, Histogram allAsSent,
                    Histogram allFloor, long[] allStatuses,
                    Histogram lag, Histogram slotWait, Map<String, Long> errorReasons, Map<Integer, Long> statusesSeen,
                    long measuredSent, long warmupSent, long waited) {
    }
}
