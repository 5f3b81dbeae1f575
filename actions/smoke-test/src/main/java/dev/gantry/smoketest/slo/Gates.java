package dev.gantry.smoketest.slo;

import dev.gantry.checks.CheckOutcome;
import dev.gantry.checks.SuiteResult;
import dev.gantry.smoketest.soak.SoakResult;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which gates a run is judged on, and the judging. The user's gates from the {@code slo} input, plus, for every
 * soak, a default error gate unless the user states an overall one ({@code error-rate…} or a status share such
 * as {@code 5xx<2%}): a soak where every request failed never passes. The default allows errors on under 1% of
 * the soak's requests; a soak of fewer than 100 requests allows none.
 *
 * <p>Gates judge the soak when it ran (a check's gate that check's soak requests), else the checks' own
 * requests. When a soak was asked for and skipped (a check failed first), the gates on it are not judged: the
 * one request of a failed check says nothing about p(95).
 */
public final class Gates {
    /** The default error gate's allowance, and the smallest soak it needs to be judged on. */
    static final double DEFAULT_ERROR_RATE = 0.01;

    private Gates() {
    }

    /** The gate every soak of {@code requests} measured requests gets unless {@link #needsDefault} says the user stated one. */
    public static Slo defaultErrorGate(long requests) {
        return Slo.parse(requests >= Math.round(1 / DEFAULT_ERROR_RATE) ? "error-rate<1%" : "error-rate==0");
    }

    /** Whether none of {@code slos} gates the whole soak's errors. */
    public static boolean needsDefault(List<Slo> slos) {
        return slos.stream().noneMatch(s -> s.check() == null && s.metric().isRate());
    }

    /**
     * The input problem with judging {@code slo} on {@code planned} samples, or null. A soak may send up to 5%
     * fewer requests than planned and still count, so it must plan enough for that too ({@code soak}). {@code where}
     * says where the samples come from, for the message.
     */
    public static String tooFewPlanned(Slo slo, long planned, boolean soak, String where, String remedy) {
        long needed = slo.minSamples();
        long plan = soak ? (long) Math.ceil(needed / dev.gantry.smoketest.soak.SoakResult.MIN_ACHIEVED - 1e-9) : needed;
        if (planned >= plan) return null;
        return String.format(Locale.ROOT, "has a gate the run cannot judge: '%s' needs at least %d requests%s, and %s %d; %s",
                slo.text(), needed, plan > needed ? " (a soak plan of " + plan + ", as a soak may send 5% fewer)" : "",
                where, planned, remedy);
    }

    /**
     * Judges every gate ({@code defaultGate} may be null). {@code soak} is null when no soak ran; then
     * {@code soakSkipped} says why one that was asked for did not.
     */
    public static List<SloResult> judge(List<Slo> slos, Slo defaultGate, SuiteResult checks, SoakResult soak,
                                        String soakSkipped) {
        List<SloResult> out = new ArrayList<>();
        for (Slo slo : slos) out.add(judge(slo, false, checks, soak, soakSkipped));
        if (defaultGate != null) out.add(judge(defaultGate, true, checks, soak, soakSkipped));
        return out;
    }

    private static SloResult judge(Slo slo, boolean isDefault, SuiteResult checks, SoakResult soak, String soakSkipped) {
        if (soak != null && (slo.check() == null || soak.perTarget().containsKey(slo.check()))) {
            SoakResult.Stats st = slo.check() == null ? soak.overall() : soak.perTarget().get(slo.check());
            return st.samples("soak, corrected").evaluate(slo, isDefault, soak.generatorProblem());
        }
        if (soakSkipped != null && (slo.check() == null || isDefault)) {
            return new SloResult(slo, SloResult.Status.NOT_EVALUATED, Double.NaN, Double.NaN, Double.NaN, 0, slo.minSamples(), "soak",
                    "the soak was skipped (" + soakSkipped + ")", isDefault);
        }
        return checkSamples(checks, slo.check()).evaluate(slo, isDefault, null);
    }

    /** The checks' own requests (all of them, or one check's), skipped ones left out. */
    static Samples checkSamples(SuiteResult checks, String only) {
        Histogram h = Samples.histogram();
        long[] statuses = new long[Samples.STATUS_SLOTS];
        long count = 0;
        long errors = 0;
        for (CheckOutcome o : checks.outcomes()) {
            if (o.status() == CheckOutcome.Status.SKIPPED) continue;
            if (only != null && !o.name().equals(only)) continue;
            h.recordValue(o.durationMillis() * 1000);
            int code = o.httpStatus();
            statuses[code > 0 && code < Samples.STATUS_SLOTS ? code : 0]++;
            count++;
            // a check not judged because its answer was larger than Gantry reads (LIMIT) is no error of the app
            if (o.failed() && o.failureKind() != CheckOutcome.FailureKind.LIMIT) errors++;
        }
        return new Samples(h, count, errors, statuses, "checks");
    }

    /** The latency figures of the outputs: the soak's (corrected) when it ran, else the checks'. */
    public static Samples overall(SuiteResult checks, SoakResult soak) {
        if (soak != null) return soak.overall().samples("soak");
        return checkSamples(checks, null);
    }
}
