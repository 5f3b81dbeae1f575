package dev.gantry.smoketest.slo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One service-level gate in k6's threshold grammar, optionally for one check:
 * <pre>
 * gate      := [check ":"] metric ws* op ws* number [unit]
 * metric    := "p(" float ")" | "avg" | "min" | "med" | "max" | "error-rate" | status
 * status    := [1-5] "xx" | [1-5] digit digit          (the share of requests answered so, e.g. 5xx or 503)
 * op        := "&lt;" | "&lt;=" | "&gt;" | "&gt;=" | "==" | "===" | "!="
 * unit      := "ms" | "s" (latency; default ms) | "%" (a rate; default a fraction)
 * </pre>
 * Examples: {@code p(95)<800}, {@code p(99) < 1.5s}, {@code avg<200}, {@code error-rate<0.02},
 * {@code error-rate<2%}, {@code 5xx<2%}, {@code login: p(95)<300}. A status gate counts requests with no answer
 * at all (timeout, refused, reset) with the 5xx: they are the server failing too.
 */
public record Slo(String text, String check, Metric metric, double percentile, Op op, double threshold, String status) {

    public enum Metric {
        PERCENTILE, AVG, MIN, MED, MAX, ERROR_RATE, STATUS;

        /** A rate (error-rate, a status share) rather than a latency. */
        public boolean isRate() {
            return this == ERROR_RATE || this == STATUS;
        }
    }

    public Slo(String text, String check, Metric metric, double percentile, Op op, double threshold) {
        this(text, check, metric, percentile, op, threshold, null);
    }

    public enum Op {
        LT("<"), LE("<="), GT(">"), GE(">="), EQ("=="), NE("!=");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        boolean test(double a, double b) {
            return switch (this) {
                case LT -> a < b;
                case LE -> a <= b;
                case GT -> a > b;
                case GE -> a >= b;
                case EQ -> a == b;
                case NE -> a != b;
            };
        }
    }

    private static final Pattern GATE = Pattern.compile(
            "(?:([A-Za-z0-9_.\\-]+)\\s*:\\s*)?(p\\(\\s*([0-9]+(?:\\.[0-9]+)?)\\s*\\)|avg|min|med|max|error-rate|[1-5](?:xx|XX|[0-9]{2}))"
                    + "\\s*(<=|>=|===|==|!=|<|>)\\s*(-?[0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|%)?");

    /** A gate that does not parse: says what is wrong. */
    public static final class SloSyntaxException extends IllegalArgumentException {
        public SloSyntaxException(String message) {
            super(message);
        }
    }

    /** Parses one gate. */
    public static Slo parse(String text) {
        String t = text.strip();
        Matcher m = GATE.matcher(t);
        if (!m.matches()) throw new SloSyntaxException(explain(t));
        String metricText = m.group(2);
        Metric metric = switch (metricText) {
            case "avg" -> Metric.AVG;
            case "min" -> Metric.MIN;
            case "med" -> Metric.MED;
            case "max" -> Metric.MAX;
            case "error-rate" -> Metric.ERROR_RATE;
            default -> metricText.startsWith("p(") ? Metric.PERCENTILE : Metric.STATUS;
        };
        double pct = 0;
        if (metric == Metric.PERCENTILE) {
            pct = Double.parseDouble(m.group(3));
            if (pct <= 0 || pct > 100) throw new SloSyntaxException("'" + t + "': the percentile must be above 0 and at most 100");
        }
        Op op = switch (m.group(4)) {
            case "<" -> Op.LT;
            case "<=" -> Op.LE;
            case ">" -> Op.GT;
            case ">=" -> Op.GE;
            case "!=" -> Op.NE;
            default -> Op.EQ;
        };
        double value = Double.parseDouble(m.group(5));
        String unit = m.group(6);
        if (metric.isRate()) {
            String name = metric == Metric.STATUS ? metricText.toLowerCase(Locale.ROOT) : "error-rate";
            if ("ms".equals(unit) || "s".equals(unit)) throw new SloSyntaxException("'" + t + "': " + name + " is a fraction (0.02) or a percentage (2%), not a duration");
            if ("%".equals(unit)) value = value / 100.0;
            if (value < 0 || value > 1) throw new SloSyntaxException("'" + t + "': " + name + " must be between 0 and 1 (or 0% and 100%)");
        } else {
            if ("%".equals(unit)) throw new SloSyntaxException("'" + t + "': a latency takes ms or s, not %");
            if ("s".equals(unit)) value = value * 1000.0;
            if (value < 0) throw new SloSyntaxException("'" + t + "': a latency cannot be negative");
        }
        return new Slo(t, m.group(1), metric, pct, op, value,
                metric == Metric.STATUS ? metricText.toLowerCase(Locale.ROOT) : null);
    }

    /** Parses the lines of the {@code slo} input; a line may hold several gates separated by commas. */
    public static List<Slo> parseAll(List<String> lines) {
        List<Slo> out = new ArrayList<>();
        for (String line : lines) {
            String prefix = "";
            Matcher scope = Pattern.compile("^([A-Za-z0-9_.\\-]+)\\s*:\\s*(.*)$").matcher(line.strip());
            String rest = line.strip();
            if (scope.matches()) {
                prefix = scope.group(1) + ": ";
                rest = scope.group(2);
            }
            for (String part : rest.split(",")) {
                if (!part.isBlank()) out.add(parse(prefix + part.strip()));
            }
        }
        return out;
    }

    private static String explain(String t) {
        if (t.isEmpty()) return "an empty gate";
        if (t.matches("(?i).*\\bp\\d+.*")) return "'" + t + "': write percentiles as p(95), as k6 does";
        if (t.matches("(?:[A-Za-z0-9_.\\-]+\\s*:\\s*)?rate.*")) return "'" + t + "': use error-rate (k6's http_req_failed rate)";
        if (!t.matches(".*(<|>|==|!=).*")) return "'" + t + "': missing a comparison (<, <=, >, >=, ==, !=)";
        return "'" + t + "' is not a gate; expected e.g. p(95)<800, avg<200, max<2s, error-rate<0.02 or login: p(99)<500";
    }

    /** The metric's name as k6 prints it: {@code p(95)}, {@code avg}, {@code error-rate}. */
    public String metricName() {
        return switch (metric) {
            case PERCENTILE -> "p(" + trim(percentile) + ")";
            case ERROR_RATE -> "error-rate";
            case STATUS -> status;
            default -> metric.name().toLowerCase(Locale.ROOT);
        };
    }

    /** The expression without the check prefix, as written: {@code p(95)<800}. */
    public String expression() {
        int colon = check == null ? -1 : text.indexOf(':');
        return colon < 0 ? text : text.substring(colon + 1).strip();
    }

    /** Whether an HTTP status (0: no answer at all) counts towards this status gate. */
    public boolean countsStatus(int code) {
        if (metric != Metric.STATUS) return false;
        if (code == 0) return status.startsWith("5");
        String c = Integer.toString(code);
        return status.endsWith("xx") ? c.charAt(0) == status.charAt(0) : c.equals(status);
    }

    /**
     * The fewest samples this gate can be judged on. A percentile needs enough samples that it is not simply the
     * slowest one: p(q) needs 100/(100-q) (p(95): 20, p(99): 100, med: 2); a rate below t needs 1/t samples, so
     * that one bad request alone is not already the whole allowance; avg, min and max need one.
     */
    public long minSamples() {
        return switch (metric) {
            case PERCENTILE -> percentile >= 100 ? 1 : (long) Math.ceil(100.0 / (100.0 - percentile) - 1e-9);
            case MED -> 2;
            case AVG, MIN, MAX -> 1;
            case ERROR_RATE, STATUS -> (op == Op.LT || op == Op.LE) && threshold > 0 ? (long) Math.ceil(1.0 / threshold - 1e-9) : 1;
        };
    }

    public boolean passes(double measured) {
        return op.test(measured, threshold);
    }

    public Optional<String> checkName() {
        return Optional.ofNullable(check);
    }

    static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
