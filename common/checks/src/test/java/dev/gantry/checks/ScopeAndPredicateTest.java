package dev.gantry.checks;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScopeAndPredicateTest {
    private final Scope scope = new Scope(Map.of("env", "staging"), Map.of("PW", "hunter2"), Map.of("run_id", "77"));

    @Test
    void templatesResolveCapturesVariablesSecretsAndGithub() {
        scope.capture("id", IntNode.valueOf(42), false);
        scope.capture("token", TextNode.valueOf("tok-abc"), true);
        assertThat(scope.render("/items/{{id}}?e={{ env }}&r={{github.run_id}}&p={{secrets.PW}}&v={{vars.env}}"))
                .isEqualTo("/items/42?e=staging&r=77&p=hunter2&v=staging");
        assertThat(scope.secretValues()).containsExactlyInAnyOrder("hunter2", "tok-abc");
        assertThatThrownBy(() -> scope.render("{{nope}}")).isInstanceOf(Scope.UnknownVariableException.class)
                .hasMessage("{{nope}} is not defined");
    }

    @Test
    void aJsonBodyKeepsTheCapturedType() {
        scope.capture("id", IntNode.valueOf(42), false);
        Object rendered = scope.renderJson(Map.of("id", "{{id}}", "name", "smoke-{{github.run_id}}", "list", List.of("{{env}}")));
        assertThat(rendered).isEqualTo(Map.of("id", IntNode.valueOf(42), "name", "smoke-77", "list", List.of(TextNode.valueOf("staging"))));
    }

    @Test
    void predicatesExplainWhatTheyWantedAndGot() {
        Predicate eq = new Predicate(Predicate.Kind.EQUALS, 42);
        assertThat(eq.test(IntNode.valueOf(42), scope)).isEmpty();
        assertThat(eq.test(TextNode.valueOf("42.0"), scope)).isEmpty();
        assertThat(eq.test(IntNode.valueOf(7), scope)).contains("expected it to equal 42, got 7");
        assertThat(new Predicate(Predicate.Kind.STARTS_WITH, "smoke-").test(TextNode.valueOf("prod-1"), scope))
                .contains("expected it to start with \"smoke-\", got \"prod-1\"");
        assertThat(new Predicate(Predicate.Kind.EXISTS, true).test(MissingNode.getInstance(), scope))
                .contains("expected it to exist, but it is missing");
        assertThat(new Predicate(Predicate.Kind.EXISTS, false).test(MissingNode.getInstance(), scope)).isEmpty();
        assertThat(new Predicate(Predicate.Kind.MATCHES, "^v\\d+").test(TextNode.valueOf("v12"), scope)).isEmpty();
        assertThat(new Predicate(Predicate.Kind.LESS_THAN, 10).test(IntNode.valueOf(9), scope)).isEmpty();
        assertThat(new Predicate(Predicate.Kind.LESS_THAN, 10).test(IntNode.valueOf(10), scope)).isPresent();
        assertThat(new Predicate(Predicate.Kind.EQUALS, "{{env}}").test(TextNode.valueOf("staging"), scope)).isEmpty();
    }
}
