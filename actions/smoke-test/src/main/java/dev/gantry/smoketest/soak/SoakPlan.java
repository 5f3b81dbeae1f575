package dev.gantry.smoketest.soak;

import dev.gantry.checks.Assertion;
import dev.gantry.checks.RenderedRequest;

import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What the soak does: {@code rate} requests per second at evenly spaced intended send times, first for
 * {@code warmup} (sent but not measured), then for {@code duration} (measured); at most {@code maxInFlight}
 * requests outstanding; a request with no answer after {@code requestTimeout} is an error. Each slot goes to a
 * target by smooth weighted round robin. {@code tls} verifies {@code https://} targets that bring no TLS context
 * of their own (null: the JDK's default trust store).
 */
public record SoakPlan(double rate, Duration warmup, Duration duration, int maxInFlight, Duration requestTimeout,
                       List<Target> targets, SSLContext tls) {

    /** Upper bounds that keep a soak bounded in count and time whatever the inputs say. */
    public static final double MAX_RATE = 100_000;
    /** Six hours: the longest a job may run on a GitHub-hosted runner. */
    public static final Duration MAX_TOTAL = Duration.ofHours(6);

    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    /** Which statuses the soak counts as errors (requests with no answer at all always are). */
    public interface ErrorRule {
        boolean isError(int status);

        String describe();

        /** Statuses the check's {@code expect.status} does not allow (the default). */
        static ErrorRule notAccepted(Assertion.Status expected) {
            return new ErrorRule() {
                public boolean isError(int status) {
                    return !expected.accepts(status);
                }

                public String describe() {
                    return "statuses outside " + String.join(", ", expected.allowed());
                }
            };
        }

        /** The statuses the user listed ({@code 5xx}, {@code 429}, ...). */
        static ErrorRule listed(Assertion.Status errors) {
            return new ErrorRule() {
                public boolean isError(int status) {
                    return errors.accepts(status);
                }

                public String describe() {
                    return String.join(", ", errors.allowed());
                }
            };
        }
    }

    /**
     * An answer to a write, handed to the target's {@code onAnswer} (header names lower case); {@code body} holds at
     * most {@link #MAX_KEPT_BODY} bytes, {@code truncated} when the answer had more.
     */
    public record Answer(int status, Map<String, List<String>> headers, byte[] body, boolean truncated) {
    }

    /** The most of a write's answer body kept for its captures. */
    public static final int MAX_KEPT_BODY = ResponseParser.MAX_KEPT_BODY;

    /**
     * A request the soak repeats and the statuses that count as errors. {@code onAnswer}, for writes only, gets
     * every answer with its headers and body (for the captures that cleanup needs); reads keep nothing.
     * {@code tls}: the TLS context of its check (CA, client certificate, insecure), null for the plan's.
     */
    public record Target(String name, int weight, RenderedRequest request, ErrorRule errors, Consumer<Answer> onAnswer,
                         SSLContext tls) {
        public Target(String name, int weight, RenderedRequest request, ErrorRule errors, Consumer<Answer> onAnswer) {
            this(name, weight, request, errors, onAnswer, null);
        }

        public Target(String name, int weight, RenderedRequest request, Assertion.Status expected) {
            this(name, weight, request, ErrorRule.notAccepted(expected), null, null);
        }

        /** Anything but GET, HEAD and OPTIONS: sent only when the checks file allows writes. */
        public boolean write() {
            return request != null && !SAFE.contains(request.method());
        }
    }

    public SoakPlan {
        if (!(rate > 0) || rate > MAX_RATE) throw new IllegalArgumentException("rate must be in (0, " + (long) MAX_RATE + "]");
        if (duration.isNegative() || duration.isZero()) throw new IllegalArgumentException("duration must be positive");
        if (warmup.isNegative()) throw new IllegalArgumentException("warmup must not be negative");
        if (warmup.plus(duration).compareTo(MAX_TOTAL) > 0) throw new IllegalArgumentException("warmup + duration must be at most 6h");
        if (maxInFlight < 1) throw new IllegalArgumentException("maxInFlight must be at least 1");
        if (targets.isEmpty()) throw new IllegalArgumentException("the soak needs at least one target");
        targets = List.copyOf(targets);
    }

    public SoakPlan(double rate, Duration warmup, Duration duration, int maxInFlight, Duration requestTimeout,
                    List<Target> targets) {
        this(rate, warmup, duration, maxInFlight, requestTimeout, targets, null);
    }

    public long intervalNanos() {
        return Math.round(1e9 / rate);
    }

    /** Slots in warm-up plus measurement. */
    public long totalSlots() {
        return slotsWithin(warmup.toNanos() + duration.toNanos());
    }

    /** Slots whose intended time lies in the measured window. */
    public long measuredSlots() {
        return totalSlots() - slotsWithin(warmup.toNanos());
    }

    /** Slots whose offset is below {@code nanos}. */
    private long slotsWithin(long nanos) {
        long n = (long) Math.ceil(nanos * rate / 1e9);
        while (n > 0 && offsetNanos(n - 1) >= nanos) n--;
        while (offsetNanos(n) < nanos) n++;
        return n;
    }

    /** The intended send time of slot {@code i}, as an offset from the start in nanoseconds. */
    public long offsetNanos(long i) {
        return (long) (i * 1e9 / rate);
    }

    /** Of the slots {@code [from, to)}, how many go to target {@code t}. */
    public long slotsFor(int t, long from, long to) {
        int[] cycle = cycle();
        long n = 0;
        for (int k = 0; k < cycle.length; k++) {
            if (cycle[k] != t) continue;
            n += count(k, cycle.length, to) - count(k, cycle.length, from);
        }
        return n;
    }

    /** How many i in [0, end) have i % len == k. */
    private static long count(int k, int len, long end) {
        return end <= k ? 0 : (end - k - 1) / len + 1;
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
