package dev.gantry.checks;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/** One expectation of a check's response. {@link #check} returns why it failed, or empty. */
public sealed interface Assertion {

    /** What is tested, as a person reads it: {@code status}, {@code jsonpath "$.id" count}. */
    String subject();

    Optional<String> check(Response r, Scope scope);

    /** Whether judging it reads the response body. */
    default boolean readsBody() {
        return false;
    }

    /** The status is one of the codes or classes ({@code 200}, {@code 2xx}). */
    record Status(List<String> allowed) implements Assertion {
        public String subject() {
            return "status";
        }

        public boolean accepts(int status) {
            for (String a : allowed) {
                if (a.equals("*")) return true;
                if (a.length() == 3 && a.endsWith("xx") && a.charAt(0) == (char) ('0' + status / 100)) return true;
                if (a.equals(Integer.toString(status))) return true;
            }
            return false;
        }

        public Optional<String> check(Response r, Scope scope) {
            return accepts(r.status()) ? Optional.empty()
                    : Optional.of("expected " + (allowed.size() == 1 ? allowed.get(0) : "one of " + String.join(", ", allowed))
                    + ", got " + r.status());
        }
    }

    /** A query, its filters, and a predicate on the result: Hurl's assert line. */
    record Test(Query query, List<Filter> filters, Predicate predicate) implements Assertion {
        public Test {
            filters = List.copyOf(filters);
        }

        public String subject() {
            StringBuilder b = new StringBuilder(query.describe());
            for (Filter f : filters) b.append(' ').append(f.describe());
            return b.toString();
        }

        public Optional<String> check(Response r, Scope scope) {
            JsonNode v;
            try {
                v = apply(query, filters, r, scope);
            } catch (Values.EvalException | Scope.UnknownVariableException e) {
                return Optional.of(e.getMessage());
            }
            return predicate.test(v, scope, query instanceof Query.Duration && filters.isEmpty() ? " ms" : "");
        }

        public boolean readsBody() {
            return query.readsBody();
        }

        /** A query and its filters; a filter on none gives none. */
        static JsonNode apply(Query query, List<Filter> filters, Response r, Scope scope) {
            JsonNode v = query.eval(r, scope);
            for (Filter f : filters) {
                if (!Values.present(v)) return v;
                v = f.apply(v, scope);
            }
            return v;
        }
    }
}
