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
        assertThat(scope.render("{{newUuid}}")).matches("[0-9a-f-]{36}");
        assertThat(Predicate.isoDate(scope.render("{{newDate}}"))).isTrue();
    }

    @Test
    void aJsonBodyKeepsTheCapturedType() {
        scope.capture("id", IntNode.valueOf(42), false);
        Object rendered = scope.renderJson(Map.of("id", "{{id}}", "name", "smoke-{{github.run_id}}", "list", List.of("{{env}}")));
        assertThat(rendered).isEqualTo(Map.of("id", IntNode.valueOf(42), "name", "smoke-77", "list", List.of(TextNode.valueOf("staging"))));
    }

    private static Predicate p(Predicate.Kind kind, Object expected) {
        return Predicate.of(kind, expected == null ? null : expected instanceof String s ? Values.text(s)
                : Values.NODES.numberNode(((Number) expected).intValue()));
    }

    @Test
    void equalityRespectsTypeAndPredicatesExplainWhatTheyWantedAndGot() {
        Predicate eq = p(Predicate.Kind.EQUALS, 42);
        assertThat(eq.test(IntNode.valueOf(42), scope)).isEmpty();
        assertThat(eq.test(Values.NODES.numberNode(42.0), scope)).as("an integer equals the same float").isEmpty();
        assertThat(eq.test(TextNode.valueOf("42"), scope)).as("\"42\" is not 42").contains("expected == 42, got \"42\"");
        assertThat(p(Predicate.Kind.EQUALS, "12").test(IntNode.valueOf(12), scope)).isPresent();
        assertThat(eq.test(IntNode.valueOf(7), scope)).contains("expected == 42, got 7");
        assertThat(p(Predicate.Kind.STARTS_WITH, "smoke-").test(TextNode.valueOf("prod-1"), scope))
                .contains("expected startsWith \"smoke-\", got \"prod-1\"");
        assertThat(p(Predicate.Kind.EXISTS, null).test(MissingNode.getInstance(), scope)).contains("expected a value, got none");
        assertThat(new Predicate(Predicate.Kind.EXISTS, true, null).test(MissingNode.getInstance(), scope)).isEmpty();
        assertThat(new Predicate(Predicate.Kind.MATCHES, false, new Predicate.RegexOperand(Regex.compile("^v\\d+")))
                .test(TextNode.valueOf("v12"), scope)).isEmpty();
        assertThat(p(Predicate.Kind.LESS, 10).test(IntNode.valueOf(9), scope)).isEmpty();
        assertThat(p(Predicate.Kind.LESS, 10).test(IntNode.valueOf(10), scope)).isPresent();
        assertThat(p(Predicate.Kind.LESS, 10).test(TextNode.valueOf("9"), scope)).get().asString()
                .contains("compares numbers or dates, not a string with a integer").contains("toInt");
        assertThat(new Predicate(Predicate.Kind.EQUALS, false, new Predicate.Template("{{env}}", false))
                .test(TextNode.valueOf("staging"), scope)).isEmpty();
        assertThat(new Predicate(Predicate.Kind.CONTAINS, true, new Predicate.Literal(Values.text("x")))
                .test(TextNode.valueOf("abc"), scope)).as("not contains").isEmpty();
        assertThat(new Predicate(Predicate.Kind.CONTAINS, true, new Predicate.Literal(Values.text("x")))
                .test(MissingNode.getInstance(), scope)).as("a negated test still needs a value").isPresent();
    }

    @Test
    void typePredicates() {
        assertThat(new Predicate(Predicate.Kind.IS_INTEGER, false, null).test(IntNode.valueOf(1), scope)).isEmpty();
        assertThat(new Predicate(Predicate.Kind.IS_INTEGER, false, null).test(Values.NODES.numberNode(1.5), scope)).isPresent();
        assertThat(new Predicate(Predicate.Kind.IS_FLOAT, false, null).test(Values.NODES.numberNode(1.5), scope)).isEmpty();
        assertThat(new Predicate(Predicate.Kind.IS_ISO_DATE, false, null).test(TextNode.valueOf("2024-01-02T03:04:05.123Z"), scope)).isEmpty();
        assertThat(new Predicate(Predicate.Kind.IS_ISO_DATE, false, null).test(TextNode.valueOf("2024-01-02"), scope)).isPresent();
        assertThat(new Predicate(Predicate.Kind.IS_UUID, false, null).test(TextNode.valueOf("0531f78f-7f87-44be-a7f2-969a1c4e6d97"), scope)).isEmpty();
        assertThat(new Predicate(Predicate.Kind.IS_IPV4, false, null).test(TextNode.valueOf("10.0.0.300"), scope)).isPresent();
        assertThat(new Predicate(Predicate.Kind.IS_IPV6, false, null).test(TextNode.valueOf("::1"), scope)).isEmpty();
        assertThat(new Predicate(Predicate.Kind.IS_STRING, true, null).test(IntNode.valueOf(1), scope)).as("not isString").isEmpty();
    }
}
