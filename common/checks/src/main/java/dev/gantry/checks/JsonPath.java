package dev.gantry.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;

import java.util.EnumSet;

/**
 * A JSONPath expression, evaluated by Jayway JsonPath (the Goessner dialect most tools speak) on Jackson's tree:
 * {@code $.a.b}, {@code ['a']}, {@code [0]}, {@code [-1:]}, {@code [*]}, {@code ..name}, unions {@code [0,1]},
 * filters {@code [?(@.price < 10 && @.tags)]}, and functions such as {@code .length()} (of a list or an object; for a
 * count over a wildcard use the {@code count} filter). A definite path (no
 * wildcard, deep scan, filter, slice or union) yields one value or none; any other path yields the list of what it
 * matched (possibly empty).
 *
 * <p>One refusal: the {@code =~} regex operator inside filters, because Jayway runs it with
 * {@code java.util.regex}, which can take exponential time on a hostile pattern. Match with the {@code matches}
 * predicate or the {@code regex} filter instead, which run in linear time (RE2/J).
 */
public final class JsonPath {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Configuration CONFIG = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(MAPPER) {
                // an index past the end is no value (Jayway's Jackson provider would answer JSON null)
                @Override
                public Object getArrayIndex(Object obj, int idx) {
                    if (obj instanceof com.fasterxml.jackson.databind.node.ArrayNode a && (idx < 0 || idx >= a.size())) {
                        throw new PathNotFoundException("index " + idx + " is out of bounds");
                    }
                    return super.getArrayIndex(obj, idx);
                }
            })
            .mappingProvider(new JacksonMappingProvider(MAPPER))
            .options(EnumSet.noneOf(Option.class))
            .build();

    private final String expression;
    private final com.jayway.jsonpath.JsonPath path;

    private JsonPath(String expression, com.jayway.jsonpath.JsonPath path) {
        this.expression = expression;
        this.path = path;
    }

    /** Parses {@code expression}; throws {@link IllegalArgumentException} saying what is wrong. */
    public static JsonPath compile(String expression) {
        String e = expression.strip();
        if (!e.startsWith("$")) throw new IllegalArgumentException("a JSONPath starts with '$' (got '" + expression + "')");
        if (outsideQuotes(e, "=~")) {
            throw new IllegalArgumentException("the =~ operator is not supported in JSONPath filters of '" + expression
                    + "' (it is not linear-time); select the values and test them with matches, or use the regex filter");
        }
        try {
            return new JsonPath(e, com.jayway.jsonpath.JsonPath.compile(e));
        } catch (InvalidPathException | IllegalArgumentException ex) {
            throw new IllegalArgumentException("invalid JSONPath '" + expression + "': " + ex.getMessage());
        }
    }

    public boolean isDefinite() {
        return path.isDefinite();
    }

    /**
     * The value at the path: for a definite path the node, or a missing node when there is none; else an array of
     * every match.
     */
    public JsonNode evaluate(JsonNode root) {
        try {
            Object r = path.read(root, CONFIG);
            if (r == null) return Values.none();
            if (r instanceof JsonNode n) return n;
            return MAPPER.valueToTree(r);
        } catch (PathNotFoundException e) {
            return isDefinite() ? Values.none() : Values.NODES.arrayNode();
        } catch (RuntimeException e) {
            throw new Values.EvalException("jsonpath " + expression + ": " + e.getMessage());
        }
    }

    private static boolean outsideQuotes(String s, String token) {
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (s.startsWith(token, i)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return expression;
    }
}
