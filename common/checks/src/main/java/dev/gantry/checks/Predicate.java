package dev.gantry.checks;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One test of a value, Hurl's predicates: {@code == != > >= < <=}, {@code startsWith}, {@code endsWith},
 * {@code contains} (in a string, bytes, or a list), {@code matches} (a regex found anywhere, RE2 syntax),
 * {@code exists}, {@code isEmpty}, and the type tests {@code isInteger isFloat isNumber isBoolean isString
 * isCollection isList isObject isDate isIsoDate isUuid isIpv4 isIpv6}. Any of them can be negated ({@code not}).
 *
 * <p>The expected value is typed ({@link Operand}): {@code "12"} is a string and {@code 12} an integer, and they are
 * not equal. A value of the wrong type for the predicate (a regex on a number) fails the test, negated or not.
 * A missing value fails every test but {@code exists}.
 */
public record Predicate(Kind kind, boolean not, Operand expected) {

    public enum Kind {
        EQUALS("=="), NOT_EQUALS("!="), GREATER(">"), GREATER_OR_EQUAL(">="), LESS("<"), LESS_OR_EQUAL("<="),
        STARTS_WITH("startsWith"), ENDS_WITH("endsWith"), CONTAINS("contains"), MATCHES("matches"),
        EXISTS("exists"), IS_EMPTY("isEmpty"), IS_INTEGER("isInteger"), IS_FLOAT("isFloat"), IS_NUMBER("isNumber"),
        IS_BOOLEAN("isBoolean"), IS_STRING("isString"), IS_COLLECTION("isCollection"), IS_LIST("isList"),
        IS_OBJECT("isObject"), IS_DATE("isDate"), IS_ISO_DATE("isIsoDate"), IS_UUID("isUuid"), IS_IPV4("isIpv4"),
        IS_IPV6("isIpv6"),
        /** Internal: Hurl's implicit header assert, equal to the value or to one of the repeated values. */
        HAS_VALUE("==");

        public final String hurl;

        Kind(String hurl) {
            this.hurl = hurl;
        }

        /** Whether the predicate takes a value ({@code ==}) or stands alone ({@code exists}). */
        public boolean takesValue() {
            return ordinal() <= MATCHES.ordinal() || this == HAS_VALUE;
        }

        /** A Hurl predicate name ({@code ==}, {@code equals}, {@code startsWith}, {@code isInteger}, ...), or null. */
        public static Kind ofHurl(String word) {
            return switch (word) {
                case "==", "equals" -> EQUALS;
                case "!=", "notEquals" -> NOT_EQUALS;
                case ">", "greaterThan" -> GREATER;
                case ">=", "greaterThanOrEquals" -> GREATER_OR_EQUAL;
                case "<", "lessThan" -> LESS;
                case "<=", "lessThanOrEquals" -> LESS_OR_EQUAL;
                case "includes" -> CONTAINS;
                default -> {
                    for (Kind k : values()) if (k != HAS_VALUE && k.hurl.equals(word)) yield k;
                    yield null;
                }
            };
        }
    }

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}");
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    /**
     * The expected value: a typed literal, a template (rendered as text, or, when {@code typed} and exactly one
     * {@code {{name}}}, the named value with its type), or a regex for {@code matches}.
     */
    public interface Operand {
        JsonNode value(Scope scope);

        String describe();
    }

    public record Literal(JsonNode node) implements Operand {
        public JsonNode value(Scope scope) {
            return node;
        }

        public String describe() {
            return Values.show(node);
        }
    }

    public record Template(String text, boolean typed) implements Operand {
        public JsonNode value(Scope scope) {
            if (typed) {
                JsonNode v = scope.typed(text);
                if (v != null) return v;
            }
            return Values.text(scope.render(text));
        }

        public String describe() {
            return typed ? text : "\"" + text + "\"";
        }
    }

    public record RegexOperand(Regex regex) implements Operand {
        public JsonNode value(Scope scope) {
            return Values.text(regex.source());
        }

        public String describe() {
            return regex.toString();
        }
    }

    public static Predicate of(Kind kind, JsonNode literal) {
        return new Predicate(kind, false, literal == null ? null : new Literal(literal));
    }

    /** Tests {@code actual} and returns why it failed, or empty when it holds. */
    public Optional<String> test(JsonNode actual, Scope scope) {
        return test(actual, scope, "");
    }

    /** As {@link #test(JsonNode, Scope)}, with a unit after the numbers of the message ({@code " ms"}). */
    public Optional<String> test(JsonNode actual, Scope scope, String unit) {
        boolean present = Values.present(actual);
        if (kind == Kind.EXISTS) {
            return present != not ? Optional.empty()
                    : Optional.of(not ? "expected no value, got " + Values.show(actual) : "expected a value, got none");
        }
        if (!present) return Optional.of("expected " + describe() + ", but there is no value");
        boolean ok;
        try {
            ok = holds(actual, scope);
        } catch (Values.EvalException e) {
            return Optional.of(e.getMessage());
        } catch (Scope.UnknownVariableException e) {
            return Optional.of(e.getMessage());
        }
        if (not) ok = !ok;
        return ok ? Optional.empty() : Optional.of("expected " + describe() + unit + ", got " + Values.show(actual) + unit);
    }

    private boolean holds(JsonNode a, Scope scope) {
        return switch (kind) {
            case EQUALS -> Values.equal(a, want(scope));
            case NOT_EQUALS -> !Values.equal(a, want(scope));
            case HAS_VALUE -> {
                JsonNode w = want(scope);
                if (a.isArray()) {
                    for (JsonNode e : a) if (Values.equal(e, w)) yield true;
                    yield false;
                }
                yield Values.equal(a, w);
            }
            case GREATER -> Values.compare(a, want(scope), ">") > 0;
            case GREATER_OR_EQUAL -> Values.compare(a, want(scope), ">=") >= 0;
            case LESS -> Values.compare(a, want(scope), "<") < 0;
            case LESS_OR_EQUAL -> Values.compare(a, want(scope), "<=") <= 0;
            case STARTS_WITH, ENDS_WITH -> affix(a, want(scope));
            case CONTAINS -> contains(a, want(scope));
            case MATCHES -> {
                if (!a.isTextual()) throw new Values.EvalException("matches tests a string, got a " + Values.type(a) + " (" + Values.show(a) + ")");
                Regex r = expected instanceof RegexOperand p ? p.regex() : compile(Values.string(want(scope), "matches"));
                yield r.find(a.textValue());
            }
            case IS_EMPTY -> {
                if (a.isArray() || a.isObject()) yield a.isEmpty();
                if (a.isTextual()) yield a.textValue().isEmpty();
                if (a.isBinary()) yield Values.asBytes(a).length == 0;
                throw new Values.EvalException("isEmpty tests a list, an object, a string or bytes, got a " + Values.type(a));
            }
            case IS_INTEGER -> a.isIntegralNumber();
            case IS_FLOAT -> a.isFloatingPointNumber();
            case IS_NUMBER -> a.isNumber();
            case IS_BOOLEAN -> a.isBoolean();
            case IS_STRING -> a.isTextual();
            case IS_COLLECTION -> a.isArray() || a.isObject() || a.isBinary();
            case IS_LIST -> a.isArray();
            case IS_OBJECT -> a.isObject();
            case IS_DATE -> Values.isDate(a);
            case IS_ISO_DATE -> a.isTextual() && isoDate(a.textValue());
            case IS_UUID -> a.isTextual() && UUID.matcher(a.textValue()).matches();
            case IS_IPV4 -> a.isTextual() && IPV4.matcher(a.textValue()).matches();
            case IS_IPV6 -> a.isTextual() && ipv6(a.textValue());
            case EXISTS -> true;
        };
    }

    private JsonNode want(Scope scope) {
        return expected.value(scope);
    }

    private boolean affix(JsonNode a, JsonNode w) {
        boolean start = kind == Kind.STARTS_WITH;
        if (a.isTextual() && w.isTextual()) return start ? a.textValue().startsWith(w.textValue()) : a.textValue().endsWith(w.textValue());
        if (a.isBinary() && w.isBinary()) {
            byte[] x = Values.asBytes(a);
            byte[] y = Values.asBytes(w);
            if (y.length > x.length) return false;
            int from = start ? 0 : x.length - y.length;
            return Arrays.equals(x, from, from + y.length, y, 0, y.length);
        }
        throw new Values.EvalException(kind.hurl + " tests a string or bytes against the same, got a " + Values.type(a)
                + " and a " + Values.type(w));
    }

    private static boolean contains(JsonNode a, JsonNode w) {
        if (a.isArray()) {
            for (JsonNode e : a) if (Values.equal(e, w)) return true;
            return false;
        }
        if (a.isTextual() && w.isTextual()) return a.textValue().contains(w.textValue());
        if (a.isBinary() && w.isBinary()) {
            byte[] x = Values.asBytes(a);
            byte[] y = Values.asBytes(w);
            outer:
            for (int i = 0; i + y.length <= x.length; i++) {
                for (int j = 0; j < y.length; j++) if (x[i + j] != y[j]) continue outer;
                return true;
            }
            return false;
        }
        throw new Values.EvalException("contains tests a list, a string or bytes, got a " + Values.type(a)
                + " and a " + Values.type(w));
    }

    private static Regex compile(String pattern) {
        try {
            return Regex.compile(pattern);
        } catch (IllegalArgumentException e) {
            throw new Values.EvalException(e.getMessage());
        }
    }

    static boolean isoDate(String s) {
        try {
            OffsetDateTime.parse(s);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static boolean ipv6(String s) {
        if (!s.contains(":") || !s.matches("[0-9A-Fa-f:.]+")) return false;
        try {
            return InetAddress.getByName(s) instanceof Inet6Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** How it reads: {@code == 3}, {@code not contains "x"}, {@code isInteger}. */
    public String describe() {
        String s = kind.hurl + (kind.takesValue() && expected != null ? " " + expected.describe() : "");
        return not ? "not " + s : s;
    }
}
