package dev.gantry.smoketest.slo;

import java.util.Locale;

/**
 * A gate and what was measured for it.
 *
 * <p>{@code measured} is the value over corrected latency (from each request's intended send time, the
 * generator's own delays included); {@code asSent} the same without the generator's schedule lag (measured
 * exactly: an upper bound on what the app caused); {@code floor} with every delay the generator could have added
 * taken out (a lower bound). Rates are the same in all three. The app's value lies between floor and asSent, so:
 * <ul>
 *   <li>{@link Status#PASSED} ✓: the gate holds at both bounds;</li>
 *   <li>{@link Status#FAILED} ✗: it fails at both, or fails as measured while the generator kept up (then the
 *       gap is queueing behind the app's slow answers, which is the app's);</li>
 *   <li>{@link Status#UNDECIDED}: it fails as measured and holds at the floor while the generator fell behind:
 *       its own delays could account for the miss;</li>
 *   <li>{@link Status#TOO_FEW}: fewer samples than the gate needs ({@link Slo#minSamples()});</li>
 *   <li>{@link Status#NOT_EVALUATED}: nothing to judge it on (the soak was skipped).</li>
 * </ul>
 * Only {@code PASSED} is ever shown as ✓.
 */
public record SloResult(Slo slo, Status status, double measured, double asSent, double floor, long samples, long needed,
                        String basis, String note, boolean isDefault) {

    public enum Status {
        PASSED("✓"), FAILED("✗"), UNDECIDED("?"), TOO_FEW("–"), NOT_EVALUATED("–");

        private final String mark;

        Status(String mark) {
            this.mark = mark;
        }

        public String mark() {
            return mark;
        }
    }

    public boolean passed() {
        return status == Status.PASSED;
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    /** The k6-style line: {@code ✓ 'p(95)<800' p(95)=412.30ms} (with the check in front when scoped). */
    public String line() {
        String head = status.mark() + " " + (slo.check() == null ? "" : slo.check() + ": ") + "'" + slo.expression() + "'"
                + (isDefault ? " (default)" : "");
        return switch (status) {
            case NOT_EVALUATED -> head + " not judged: " + note;
            case TOO_FEW -> head + " " + slo.metricName() + "=" + value() + " from " + samples + " sample" + (samples == 1 ? "" : "s")
                    + ": too few to judge (it needs " + needed + ")";
            case UNDECIDED -> head + " " + slo.metricName() + "=" + format(asSent) + " as sent, " + format(floor)
                    + " without the generator's own delays: inconclusive" + (note == null ? "" : " (" + note + ")");
            default -> head + " " + slo.metricName() + "=" + value() + (lagMatters()
                    ? " (" + format(asSent) + " without the generator's schedule lag)" : "");
        };
    }

    /** The measured value with its unit. */
    public String value() {
        return format(measured);
    }

    /** Whether the generator's schedule lag moved the figure noticeably (over 1%). */
    public boolean lagMatters() {
        return !slo.metric().isRate() && !Double.isNaN(asSent) && Math.abs(measured - asSent) > 0.01 * Math.max(measured, 1.0);
    }

    public String asSentValue() {
        return format(asSent);
    }

    /** The lower bound with its unit (equal to {@link #value()} for rates). */
    public String floorValue() {
        return format(floor);
    }

    private String format(double v) {
        if (Double.isNaN(v)) return "no samples";
        if (slo.metric().isRate()) return String.format(Locale.ROOT, "%.4f", v);
        return String.format(Locale.ROOT, "%.2fms", v);
    }
}
