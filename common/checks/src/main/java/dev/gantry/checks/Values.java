package dev.gantry.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The values queries, filters and predicates work on, as Hurl types them: string, integer, float, boolean, null, list,
 * object, bytes and date; "none" (a {@link MissingNode}) when a query found nothing. They are Jackson nodes (what
 * JSONPath and JSON bodies give), with bytes as {@link BinaryNode} and dates as a {@link POJONode} holding an
 * {@link OffsetDateTime}.
 *
 * <p>Equality respects type: the string {@code "12"} is not the integer {@code 12}; integers and floats compare by
 * value ({@code 1 == 1.0}); lists and objects compare element by element.
 */
public final class Values {
    public static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private Values() {
    }

    /** A value that cannot be used the way the check asks (a regex on a number, {@code count} of a string). */
    public static final class EvalException extends RuntimeException {
        public EvalException(String message) {
            super(message, null, false, false);
        }
    }

    public static JsonNode none() {
        return MissingNode.getInstance();
    }

    public static boolean present(JsonNode v) {
        return v != null && !v.isMissingNode();
    }

    public static JsonNode text(String s) {
        return TextNode.valueOf(s);
    }

    public static JsonNode bytes(byte[] b) {
        return BinaryNode.valueOf(b);
    }

    public static JsonNode date(OffsetDateTime d) {
        return new POJONode(d);
    }

    public static JsonNode list(List<JsonNode> items) {
        ArrayNode a = NODES.arrayNode();
        items.forEach(a::add);
        return a;
    }

    public static boolean isDate(JsonNode v) {
        return v instanceof POJONode p && p.getPojo() instanceof OffsetDateTime;
    }

    public static OffsetDateTime asDate(JsonNode v) {
        return (OffsetDateTime) ((POJONode) v).getPojo();
    }

    public static boolean isBytes(JsonNode v) {
        return v != null && v.isBinary();
    }

    public static byte[] asBytes(JsonNode v) {
        return ((BinaryNode) v).binaryValue();
    }

    /** Hurl's name of a value's type, for messages. */
    public static String type(JsonNode v) {
        if (!present(v)) return "none";
        if (isDate(v)) return "date";
        if (v.isBinary()) return "bytes";
        if (v.isTextual()) return "string";
        if (v.isIntegralNumber()) return "integer";
        if (v.isNumber()) return "float";
        if (v.isBoolean()) return "boolean";
        if (v.isNull()) return "null";
        if (v.isArray()) return "list";
        if (v.isObject()) return "object";
        return "value";
    }

    /** Type-respecting equality (see the class comment). */
    public static boolean equal(JsonNode a, JsonNode b) {
        if (!present(a) || !present(b)) return present(a) == present(b);
        if (a.isNumber() && b.isNumber()) return decimal(a).compareTo(decimal(b)) == 0;
        if (isDate(a) && isDate(b)) return asDate(a).toInstant().equals(asDate(b).toInstant());
        if (a.isBinary() && b.isBinary()) return Arrays.equals(asBytes(a), asBytes(b));
        if (a.isTextual() && b.isTextual()) return a.textValue().equals(b.textValue());
        if (a.isBoolean() && b.isBoolean()) return a.booleanValue() == b.booleanValue();
        if (a.isNull() && b.isNull()) return true;
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) return false;
            for (int i = 0; i < a.size(); i++) if (!equal(a.get(i), b.get(i))) return false;
            return true;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) return false;
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!b.has(e.getKey()) || !equal(e.getValue(), b.get(e.getKey()))) return false;
            }
            return true;
        }
        return false;
    }

    /** Order of two numbers or two dates; anything else is an {@link EvalException}. */
    public static int compare(JsonNode actual, JsonNode expected, String operator) {
        if (actual.isNumber() && expected.isNumber()) return decimal(actual).compareTo(decimal(expected));
        if (isDate(actual) && isDate(expected)) return asDate(actual).toInstant().compareTo(asDate(expected).toInstant());
        throw new EvalException("'" + operator + "' compares numbers or dates, not a " + type(actual) + " with a "
                + type(expected) + (actual.isTextual() && expected.isNumber() ? " (convert it with the toInt or toFloat filter)" : ""));
    }

    public static BigDecimal decimal(JsonNode n) {
        if (n.isBigDecimal() || n.isIntegralNumber()) return n.decimalValue();
        double d = n.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) throw new EvalException("not a finite number: " + d);
        return new BigDecimal(Double.toString(d));
    }

    /** A value as text in a template or a message: strings as they are, dates in RFC 3339, the rest as JSON. */
    public static String render(JsonNode v) {
        if (!present(v)) return "";
        if (v.isTextual()) return v.textValue();
        if (isDate(v)) return asDate(v).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        if (v.isBinary()) return "hex," + HexFormat.of().formatHex(asBytes(v)) + ";";
        return v.toString();
    }

    /** A value for a failure message: strings quoted, long values cut. */
    public static String show(JsonNode v) {
        if (!present(v)) return "none";
        String s;
        if (isDate(v)) s = render(v);
        else if (v.isBinary()) {
            byte[] b = asBytes(v);
            s = "hex," + HexFormat.of().formatHex(b, 0, Math.min(b.length, 64)) + (b.length > 64 ? "…" : "") + "; ("
                    + b.length + " bytes)";
        } else s = v.toString();
        return s.length() > 200 ? s.substring(0, 200) + "… (" + s.length() + " chars)" : s;
    }

    /** Text of a string or UTF-8 bytes; anything else is an {@link EvalException}. */
    public static String string(JsonNode v, String what) {
        if (v.isTextual()) return v.textValue();
        throw new EvalException(what + " takes a string, got a " + type(v) + " (" + show(v) + ")");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
