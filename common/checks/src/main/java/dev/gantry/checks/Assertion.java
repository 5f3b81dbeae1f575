package dev.gantry.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.List;
import java.util.Optional;

/** One expectation of a check's response. {@link #check} returns why it failed, or empty. */
public sealed interface Assertion {

    /** A short name of what is tested: {@code status}, {@code header Content-Type}, {@code jsonpath $.id}. */
    String subject();

    Optional<String> check(Response r, Scope scope);

    /** The status is one of the codes or classes ({@code 200}, {@code 2xx}). */
    record Status(List<String> allowed) implements Assertion {
        public String subject() {
            return "status";
        }

        public boolean accepts(int status) {
            for (String a : allowed) {
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

    record Header(String name, Predicate predicate) implements Assertion {
        public String subject() {
            return "header " + name;
        }

        public Optional<String> check(Response r, Scope scope) {
            String v = r.header(name);
            return predicate.test(v == null ? MissingNode.getInstance() : TextNode.valueOf(v), scope);
        }
    }

    record Json(JsonPath path, Predicate predicate) implements Assertion {
        public String subject() {
            return "jsonpath " + path;
        }

        public Optional<String> check(Response r, Scope scope) {
            JsonNode root = r.json();
            if (root.isMissingNode()) {
                return predicate.kind() == Predicate.Kind.EXISTS && Boolean.FALSE.equals(predicate.expected())
                        ? Optional.empty() : Optional.of(r.jsonError());
            }
            JsonNode v = path.evaluate(root);
            if (!path.isDefinite() && v.isEmpty()) v = MissingNode.getInstance();
            return predicate.test(v, scope);
        }
    }

    record Body(Predicate predicate) implements Assertion {
        public String subject() {
            return "body";
        }

        public Optional<String> check(Response r, Scope scope) {
            return predicate.test(TextNode.valueOf(r.text()), scope);
        }
    }

    /** The request took less than {@code limitMillis} (or at most, with {@code inclusive}). */
    record Duration(long limitMillis, boolean inclusive) implements Assertion {
        public String subject() {
            return "duration";
        }

        public Optional<String> check(Response r, Scope scope) {
            boolean ok = inclusive ? r.durationMillis() <= limitMillis : r.durationMillis() < limitMillis;
            return ok ? Optional.empty() : Optional.of("expected " + (inclusive ? "<= " : "< ") + limitMillis
                    + " ms, took " + r.durationMillis() + " ms");
        }
    }
}
