package dev.gantry.checks;

import java.util.List;
import java.util.Set;

/**
 * One step of a suite: a request, what its response must satisfy, what to capture from it, and how to send it.
 * {@code wait} checks gate the wait-until-healthy phase; {@code always} checks run even after an earlier check
 * failed (cleanup). {@code line} is where the check starts in its file. {@code defaultStatus}: without a status
 * assertion the status must be 2xx or 3xx (checks YAML); a Hurl entry without {@code HTTP} accepts any status.
 * {@code references} are the names its templates use.
 */
public record Check(String name, int line, RequestSpec request, List<Assertion> assertions, List<Capture> captures,
                    boolean waitFor, boolean always, CheckOptions options, boolean defaultStatus,
                    Set<String> references) {

    public static final Assertion.Status DEFAULT_STATUS = new Assertion.Status(List.of("2xx", "3xx"));
    public static final Assertion.Status ANY_STATUS = new Assertion.Status(List.of("*"));

    public Check {
        assertions = List.copyOf(assertions);
        captures = List.copyOf(captures);
        references = Set.copyOf(references);
    }

    /** The status assertion, or the default (any 2xx or 3xx; any status for a Hurl entry without one). */
    public Assertion.Status statusAssertion() {
        for (Assertion a : assertions) if (a instanceof Assertion.Status s) return s;
        return defaultStatus ? DEFAULT_STATUS : ANY_STATUS;
    }

    /** The assertions as judged: the default status first when the check states none. */
    public List<Assertion> effectiveAssertions() {
        boolean hasStatus = assertions.stream().anyMatch(a -> a instanceof Assertion.Status);
        if (hasStatus || !defaultStatus) return assertions;
        List<Assertion> out = new java.util.ArrayList<>();
        out.add(DEFAULT_STATUS);
        out.addAll(assertions);
        return out;
    }
}
