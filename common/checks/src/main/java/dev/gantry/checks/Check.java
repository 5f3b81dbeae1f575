package dev.gantry.checks;

import java.util.List;

/**
 * One step of a suite: a request, what its response must satisfy, what to capture from it. {@code wait} checks
 * gate the wait-until-healthy phase; {@code always} checks run even after an earlier check failed (cleanup).
 * {@code line} is where the check starts in its file.
 */
public record Check(String name, int line, RequestSpec request, List<Assertion> assertions, List<Capture> captures,
                    boolean waitFor, boolean always) {

    /** The status assertion, or the default (any 2xx or 3xx). */
    public Assertion.Status statusAssertion() {
        for (Assertion a : assertions) if (a instanceof Assertion.Status s) return s;
        return DEFAULT_STATUS;
    }

    public static final Assertion.Status DEFAULT_STATUS = new Assertion.Status(List.of("2xx", "3xx"));
}
