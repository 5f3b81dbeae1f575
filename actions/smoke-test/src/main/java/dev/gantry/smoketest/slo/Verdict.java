package dev.gantry.smoketest.slo;

import dev.gantry.smoketest.soak.SoakResult;

import java.util.ArrayList;
import java.util.List;

/**
 * The run's result and why. {@code fail} when something is known to be wrong with the app: a check, the wait, the
 * soak's cleanup, or a gate that failed ({@link SloResult.Status#FAILED}). {@code inconclusive} only where the
 * measurement could not decide: a gate undecided because the load generator fell behind, judged on too few
 * samples or not at all, a soak that sent under 95% of the asked rate (the app did not get the load the gates
 * are about), or a check whose answer was larger than Gantry reads (LIMIT: Gantry's limit, never the app). Else {@code pass}: a soak whose gates hold is a pass even when its generator lagged, because the
 * generator's delays only ever add to the latency it measured. {@code fail-on} narrows what counts:
 * {@code functional} only checks (and cleanup), {@code slo} only gates and the soak.
 */
public record Verdict(Kind kind, String reason) {

    public enum Kind {
        PASS("pass"), FAIL("fail"), INCONCLUSIVE("inconclusive");

        public final String output;

        Kind(String output) {
            this.output = output;
        }
    }

    public enum FailOn { ANY, FUNCTIONAL, SLO }

    public static Verdict decide(FailOn failOn, boolean functionalFailed, List<SloResult> gates, SoakResult soak) {
        return decide(failOn, functionalFailed, null, gates, soak);
    }

    /**
     * {@code notJudged}: why a check could not be judged (its answer was larger than Gantry reads), or null; it
     * leaves the checks undecided, so it counts under {@code any} and {@code functional}, not under {@code slo}.
     */
    public static Verdict decide(FailOn failOn, boolean functionalFailed, String notJudged, List<SloResult> gates,
                                 SoakResult soak) {
        boolean gateFailed = gates.stream().anyMatch(SloResult::failed);
        List<String> open = new ArrayList<>();
        if (notJudged != null && failOn != FailOn.SLO) open.add(notJudged);
        if (soak != null && soak.rateShortfall()) open.add(soak.shortfallReason());
        for (SloResult g : gates) {
            switch (g.status()) {
                case UNDECIDED, TOO_FEW, NOT_EVALUATED -> open.add(g.line());
                default -> {
                }
            }
        }
        String why = String.join("; ", open);
        return switch (failOn) {
            case FUNCTIONAL -> functionalFailed ? new Verdict(Kind.FAIL, null)
                    : notJudged != null ? new Verdict(Kind.INCONCLUSIVE, notJudged) : new Verdict(Kind.PASS, null);
            case SLO -> gateFailed ? new Verdict(Kind.FAIL, null) : !open.isEmpty() ? new Verdict(Kind.INCONCLUSIVE, why)
                    : new Verdict(Kind.PASS, null);
            case ANY -> functionalFailed || gateFailed ? new Verdict(Kind.FAIL, null)
                    : !open.isEmpty() ? new Verdict(Kind.INCONCLUSIVE, why) : new Verdict(Kind.PASS, null);
        };
    }
}
