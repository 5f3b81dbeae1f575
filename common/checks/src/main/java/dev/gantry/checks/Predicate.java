package dev.gantry.checks;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One test of a value: {@code equals}, {@code not-equals}, {@code contains}, {@code matches} (a regex found
 * anywhere), {@code starts-with}, {@code ends-with}, {@code exists}, {@code less-than}, {@code greater-than}.
 * Expected values may hold {@code {{templates}}}. Equality is numeric when both sides are numbers, textual
 * otherwise (a JSON string compares by its text, anything else by its JSON form).
 */
public record Predicate(Kind kind, Object expected) {

    public enum Kind {
        EQUALS("equals", "equal"), NOT_EQUALS("not-equals", "differ from"), CONTAINS("contains", "contain"),
        MATCHES("matches", "match"), STARTS_WITH("starts-with", "start with"), ENDS_WITH("ends-with", "end with"),
        EXISTS("exists", "exist"), LESS_THAN("less-than", "be less than"), GREATER_THAN("greater-than", "be greater than");

        final String key;
        final String words;

        Kind(String key, String words) {
            this.key = key;
            this.words = words;
        }

        public String key() {
            return key;
        }

        static Optional<Kind> of(String key) {
            String k = key.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
            for (Kind kind : values()) if (kind.key.equals(k)) return Optional.of(kind);
            return switch (k) {
                case "eq", "==" -> Optional.of(EQUALS);
                case "ne", "!=" -> Optional.of(NOT_EQUALS);
                case "lt", "<" -> Optional.of(LESS_THAN);
                case "gt", ">" -> Optional.of(GREATER_THAN);
                default -> Optional.empty();
            };
        }
    }

    /**
     * Tests {@code actual} (a JSON node; missing when absent) and returns why it failed, or empty when it holds.
     */
    public Optional<String> test(JsonNode actual, Scope scope) {
        boolean present = actual != null && !actual.isMissingNode();
        if (kind == Kind.EXISTS) {
            boolean want = !(expected instanceof Boolean b) || b;
            return present == want ? Optional.empty()
                    : Optional.of(want ? "expected it to exist, but it is missing" : "expected it to be absent, got " + show(actual));
        }
        if (!present) return Optional.of("expected it to " + describe(scope) + ", but it is missing");
        String want = expected instanceof String s ? scope.render(s) : expected == null ? null : String.valueOf(expected);
        String have = Scope.text(actual);
        boolean ok = switch (kind) {
            case EQUALS -> equal(actual, want);
            case NOT_EQUALS -> !equal(actual, want);
            case CONTAINS -> actual.isArray() ? containsElement(actual, want) : have.contains(want);
            case MATCHES -> Pattern.compile(want).matcher(have).find();
            case STARTS_WITH -> have.startsWith(want);
            case ENDS_WITH -> have.endsWith(want);
            case LESS_THAN -> compare(have, want) < 0;
            case GREATER_THAN -> compare(have, want) > 0;
            case EXISTS -> true;
        };
        return ok ? Optional.empty() : Optional.of("expected it to " + describe(scope) + ", got " + show(actual));
    }

    private static boolean equal(JsonNode actual, String want) {
        if (want == null) return actual.isNull();
        BigDecimal a = number(Scope.text(actual));
        BigDecimal b = number(want);
        if (a != null && b != null && (actual.isNumber() || actual.isTextual())) return a.compareTo(b) == 0;
        return Scope.text(actual).equals(want);
    }

    private static boolean containsElement(JsonNode array, String want) {
        for (JsonNode e : array) if (equal(e, want)) return true;
        return false;
    }

    private static int compare(String have, String want) {
        BigDecimal a = number(have);
        BigDecimal b = number(want);
        if (a == null || b == null) return have.compareTo(want);
        return a.compareTo(b);
    }

    private static BigDecimal number(String s) {
        if (s == null || s.isEmpty() || s.length() > 60) return null;
        try {
            return new BigDecimal(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public String describe(Scope scope) {
        String want = expected instanceof String s ? "\"" + (scope == null ? s : scope.render(s)) + "\"" : String.valueOf(expected);
        return switch (kind) {
            case EQUALS -> "equal " + want;
            case NOT_EQUALS -> "differ from " + want;
            case EXISTS -> "exist";
            default -> kind.words + " " + want;
        };
    }

    static String show(JsonNode actual) {
        if (actual == null || actual.isMissingNode()) return "nothing";
        String s = actual.toString();
        return s.length() > 200 ? s.substring(0, 200) + "… (" + s.length() + " chars)" : s;
    }
}
