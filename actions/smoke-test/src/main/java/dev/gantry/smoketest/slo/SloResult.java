package dev.gantry.smoketest.slo;

import java.util.Locale;

/**
 * A gate and what was measured for it. {@code measured} is NaN when there were no samples (which fails the
 * gate: no evidence is not a pass). {@code basis} says what the number comes from (e.g. "soak, corrected").
 */
public record SloResult(Slo slo, double measured, long samples, String basis, boolean passed) {

    /** The k6-style line: {@code ✓ 'p(95)<800' p(95)=412.30ms} (with the check in front when scoped). */
    public String line() {
        return (passed ? "✓ " : "✗ ") + (slo.check() == null ? "" : slo.check() + ": ") + "'" + slo.expression() + "' "
                + slo.metricName() + "=" + value();
    }

    /** The measured value with its unit. */
    public String value() {
        if (Double.isNaN(measured)) return "no samples";
        if (slo.metric() == Slo.Metric.ERROR_RATE) return String.format(Locale.ROOT, "%.4f", measured);
        return String.format(Locale.ROOT, "%.2fms", measured);
    }
}
