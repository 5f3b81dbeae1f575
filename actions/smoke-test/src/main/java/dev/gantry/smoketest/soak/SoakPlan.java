package dev.gantry.smoketest.soak;

import dev.gantry.checks.Assertion;
import dev.gantry.checks.RenderedRequest;

import java.time.Duration;
import java.util.List;

/**
 * What the soak does: {@code rate} requests per second at evenly spaced intended send times, first for
 * {@code warmup} (sent but not measured), then for {@code duration} (measured); at most {@code maxInFlight}
 * requests outstanding; a request with no answer after {@code requestTimeout} is an error. Each slot goes to a
 * target by smooth weighted round robin.
 */
public record SoakPlan(double rate, Duration warmup, Duration duration, int maxInFlight, Duration requestTimeout,
                       List<Target> targets) {

    /** Upper bounds that keep a soak bounded in count and time whatever the inputs say. */
    public static final double MAX_RATE = 100_000;
    public static final Duration MAX_TOTAL = Duration.ofMinutes(15);

    /** A request the soak repeats and the statuses that count as success. */
    public record Target(String name, int weight, RenderedRequest request, Assertion.Status expected) {
    }

    public SoakPlan {
        if (!(rate > 0) || rate > MAX_RATE) throw new IllegalArgumentException("rate must be in (0, " + (long) MAX_RATE + "]");
        if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("duration must be positive");
        if (warmup.isNegative()) throw new IllegalArgumentException("warmup must not be negative");
        if (warmup.plus(duration).compareTo(MAX_TOTAL) > 0) throw new IllegalArgumentException("warmup + duration must be at most 15m");
        if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be at least 1");
        if (targets.isEmpty()) throw new IllegalArgumentException("the soak needs at least one target");
        targets = List.copyOf(targets);
    }

    public long intervalNanos() {
        return Math.round(1e9 / rate);
    }

    /** Slots in warm-up plus measurement. */
    public long totalSlots() {
        return (long) Math.floor(rate * (warmup.toNanos() + duration.toNanos()) / 1e9);
    }

    /** The intended send time of slot {@code i}, as an offset from the start in nanoseconds. */
    public long offsetNanos(long i) {
        return (long) (i * 1e9 / rate);
    }

    /** The target of each slot, cycling: smooth weighted round robin (nginx's), so weights interleave. */
    public int[] cycle() {
        int sum = targets.stream().mapToInt(Target::weight).sum();
        int[] out = new int[sum];
        int[] current = new int[targets.size()];
        for (int k = 0; k < sum; k++) {
            int best = 0;
            for (int t = 0; t < targets.size(); t++) {
                current[t] += targets.get(t).weight();
                if (current[t] > current[best]) best = t;
            }
            current[best] -= sum;
            out[k] = best;
        }
        return out;
    }
}
