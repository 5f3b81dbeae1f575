package dev.gantry.checks;

import java.util.List;

/** The outcome of every check of a suite, in order, and the scope (with captures) they left. */
public record SuiteResult(List<CheckOutcome> outcomes, Scope scope) {

    public SuiteResult {
        outcomes = List.copyOf(outcomes);
    }

    public long passed() {
        return outcomes.stream().filter(CheckOutcome::passed).count();
    }

    public long failed() {
        return outcomes.stream().filter(CheckOutcome::failed).count();
    }

    public long skipped() {
        return outcomes.stream().filter(o -> o.status() == CheckOutcome.Status.SKIPPED).count();
    }

    /** True when no check failed (skipped cleanup steps do not count as failures). */
    public boolean allPassed() {
        return failed() == 0;
    }

    public CheckOutcome outcome(String name) {
        return outcomes.stream().filter(o -> o.name().equals(name)).findFirst().orElse(null);
    }
}
