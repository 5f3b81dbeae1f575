package dev.gantry.checks;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * A value taken from a response for later checks: a query and its filters (Hurl's capture line). A {@code secret}
 * capture (Hurl's {@code redact}) is masked before anything can print it, even when its own check fails.
 */
public record Capture(String name, Query query, List<Filter> filters, boolean secret) {

    public Capture {
        filters = List.copyOf(filters);
    }

    /** The captured value, or a reason it could not be taken. */
    public sealed interface Result {
    }

    public record Value(JsonNode value) implements Result {
    }

    public record Missing(String reason) implements Result {
    }

    public Result take(Response r, Scope scope) {
        try {
            JsonNode v = Assertion.Test.apply(query, filters, r, scope);
            if (!Values.present(v)) return new Missing(describe() + " found nothing");
            return new Value(v);
        } catch (Values.EvalException | Scope.UnknownVariableException e) {
            return new Missing(describe() + ": " + e.getMessage());
        }
    }

    public boolean readsBody() {
        return query.readsBody();
    }

    public String describe() {
        StringBuilder b = new StringBuilder(query.describe());
        for (Filter f : filters) b.append(' ').append(f.describe());
        return b.toString();
    }
}
