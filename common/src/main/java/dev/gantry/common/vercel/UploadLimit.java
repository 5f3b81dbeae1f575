package dev.gantry.common.vercel;

import java.time.Duration;
import java.util.Arrays;

/**
 * How many uploads run at once. Fixed when the user says so; otherwise adaptive, like TCP's congestion window
 * (additive increase, multiplicative decrease) with a delay signal as in TCP Vegas: it starts at
 * {@link #START}, grows by one for every upload answered while answers stay near the fastest seen (so at a real
 * network's round trip it climbs until the round trip, not the count, is what limits), stops growing when answers
 * slow down (the server or the link is full), shrinks by a quarter when they slow down a lot, and halves on a rate
 * limit or a 5xx. Only uploads up to {@link #PROBE_BYTES} are used as the delay signal: a big file's time is
 * bandwidth, not queueing.
 */
public final class UploadLimit {
    public static final int START = 16;
    public static final int MIN = 4;
    /** The Vercel CLI sends up to 50 at once; twice that is the ceiling here. */
    public static final int MAX = 128;
    static final long PROBE_BYTES = 64 * 1024;
    private static final int WINDOW = 32;

    private final boolean adaptive;
    private int limit;
    private int inFlight;
    private int peak;
    private long fastestNanos = Long.MAX_VALUE;
    private final long[] recent = new long[WINDOW];
    private int samples;

    private UploadLimit(boolean adaptive, int limit) {
        this.adaptive = adaptive;
        this.limit = limit;
    }

    /** {@code n} at once, always. */
    public static UploadLimit fixed(int n) {
        return new UploadLimit(false, Math.max(1, n));
    }

    public static UploadLimit adaptive() {
        return new UploadLimit(true, START);
    }

    public boolean isAdaptive() {
        return adaptive;
    }

    public synchronized void acquire() throws InterruptedException {
        while (inFlight >= limit) wait();
        inFlight++;
        peak = Math.max(peak, inFlight);
    }

    public synchronized void release() {
        inFlight--;
        notifyAll();
    }

    /** An upload of {@code bytes} was answered with 200 after {@code took}. */
    public synchronized void answered(long bytes, Duration took) {
        if (!adaptive) return;
        if (bytes > PROBE_BYTES) {
            grow(1);
            return;
        }
        long n = Math.max(1, took.toNanos());
        fastestNanos = Math.min(fastestNanos, n);
        recent[samples++ % WINDOW] = n;
        long median = median();
        // the queueing a round trip may show before it counts as "the server is full": 50 % plus 5 ms
        long allowed = fastestNanos + fastestNanos / 2 + 5_000_000L;
        if (median <= allowed) {
            grow(1);
        } else if (median > 4 * allowed) {
            shrink(limit / 4);
        }
    }

    /** A rate limit (429) or a server error: halve. */
    public synchronized void throttled() {
        if (adaptive) shrink(limit / 2);
    }

    private void grow(int by) {
        if (limit < MAX) {
            limit = Math.min(MAX, limit + by);
            notifyAll();
        }
    }

    private void shrink(int by) {
        limit = Math.max(MIN, limit - Math.max(1, by));
        samples = 0; // judge the new level on its own answers
    }

    private long median() {
        int n = Math.min(samples, WINDOW);
        long[] copy = Arrays.copyOf(recent, n);
        Arrays.sort(copy);
        return copy[n / 2];
    }

    public synchronized int limit() {
        return limit;
    }

    /** The most uploads that ran at once. */
    public synchronized int peak() {
        return peak;
    }

    @Override
    public synchronized String toString() {
        return adaptive ? "adaptively (" + START + " at once to start, up to " + MAX + ")" : limit + " at a time";
    }
}
