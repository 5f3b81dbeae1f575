package dev.gantry.smoketest.soak;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where the engines record what happened. Latency is recorded twice (wrk2's model): {@code corrected} from the
 * slot's intended send time, {@code uncorrected} from the actual send. Schedule lag is how late the generator
 * noticed a slot was due (its own slowness, not the server's); a slot that waited for a free connection shows
 * in corrected latency instead. Only slots whose intended time lies after the warm-up are recorded. Thread-safe.
 */
public final class SoakRecorder {
    private final int targets;
    private final LatencyHistogram[] corrected;
    private final LatencyHistogram[] uncorrected;
    private final long[] ok;
    private final long[] errors;
    private final LatencyHistogram lag = new LatencyHistogram();
    private final Map<String, Long> errorReasons = new TreeMap<>();
    private final Map<Integer, Long> statuses = new TreeMap<>();
    private long measuredSent;
    private long warmupSent;
    private long lastMeasuredSendNanos;
    private long liveCount;
    private long liveErrors;
    private LatencyHistogram live = new LatencyHistogram();

    public SoakRecorder(int targets) {
        this.targets = targets;
        corrected = new LatencyHistogram[targets];
        uncorrected = new LatencyHistogram[targets];
        for (int i = 0; i < targets; i++) {
            corrected[i] = new LatencyHistogram();
            uncorrected[i] = new LatencyHistogram();
        }
        ok = new long[targets];
        errors = new long[targets];
    }

    public synchronized void lag(long nanos) {
        lag.recordNanos(nanos);
    }

    public synchronized void sent(boolean measured, long sendNanos) {
        if (measured) {
            measuredSent++;
            lastMeasuredSendNanos = sendNanos;
        } else {
            warmupSent++;
        }
    }

    /** A response arrived: {@code status} accepted or not. */
    public synchronized void response(int target, boolean measured, long intended, long sent, long done, int status,
                                      boolean accepted) {
        statuses.merge(status, 1L, Long::sum);
        if (!measured) return;
        corrected[target].recordNanos(done - intended);
        uncorrected[target].recordNanos(done - sent);
        live.recordNanos(done - intended);
        liveCount++;
        if (accepted) {
            ok[target]++;
        } else {
            errors[target]++;
            liveErrors++;
            errorReasons.merge("status " + status, 1L, Long::sum);
        }
    }

    /** No response: refused, reset, closed, timed out. Latency is recorded up to the failure. */
    public synchronized void failure(int target, boolean measured, long intended, long sent, long done, String reason) {
        if (!measured) return;
        corrected[target].recordNanos(done - intended);
        uncorrected[target].recordNanos(done - sent);
        errors[target]++;
        liveErrors++;
        liveCount++;
        errorReasons.merge(reason, 1L, Long::sum);
    }

    /** Progress since the last call: count, errors, corrected p99 in µs; resets the window. */
    public synchronized long[] takeWindow() {
        long[] w = {liveCount, liveErrors, live.percentile(99)};
        liveCount = 0;
        liveErrors = 0;
        live = new LatencyHistogram();
        return w;
    }

    synchronized Snapshot snapshot() {
        LatencyHistogram allC = new LatencyHistogram();
        LatencyHistogram allU = new LatencyHistogram();
        for (int i = 0; i < targets; i++) {
            allC.add(corrected[i]);
            allU.add(uncorrected[i]);
        }
        return new Snapshot(corrected.clone(), uncorrected.clone(), ok.clone(), errors.clone(), allC, allU, lag,
                Map.copyOf(errorReasons), Map.copyOf(statuses), measuredSent, warmupSent, lastMeasuredSendNanos);
    }

    record Snapshot(LatencyHistogram[] corrected, LatencyHistogram[] uncorrected, long[] ok, long[] errors,
                    LatencyHistogram allCorrected, LatencyHistogram allUncorrected, LatencyHistogram lag,
                    Map<String, Long> errorReasons, Map<Integer, Long> statuses, long measuredSent, long warmupSent,
                    long lastMeasuredSendNanos) {
    }
}
