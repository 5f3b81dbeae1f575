package dev.gantry.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonPathTest {
    private static final JsonNode DOC;

    static {
        try {
            DOC = new ObjectMapper().readTree("""
                    {"status":"ok","items":[{"id":1,"name":"a","tags":["x"]},{"id":2,"name":"b"}],
                     "meta":{"odd key":{"id":9}},"empty":[]}""");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode eval(String p) {
        return JsonPath.compile(p).evaluate(DOC);
    }

    @Test
    void definitePathsSelectOneNodeOrNothing() {
        assertThat(eval("$.status").asText()).isEqualTo("ok");
        assertThat(eval("$.items[1].name").asText()).isEqualTo("b");
        assertThat(eval("$.items[-1].id").asInt()).isEqualTo(2);
        assertThat(eval("$['meta']['odd key'].id").asInt()).isEqualTo(9);
        assertThat(eval("$.missing").isMissingNode()).isTrue();
        assertThat(eval("$.items[5]").isMissingNode()).isTrue();
        assertThat(eval("$").isObject()).isTrue();
    }

    @Test
    void wildcardsAndRecursiveDescentCollectEveryMatch() {
        assertThat(eval("$.items[*].id").toString()).isEqualTo("[1,2]");
        assertThat(eval("$.items.*.name").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(eval("$..id").toString()).isEqualTo("[1,2,9]");
        assertThat(JsonPath.compile("$..id").isDefinite()).isFalse();
    }

    @Test
    void lengthCountsArraysAndObjects() {
        assertThat(eval("$.items.length()").asInt()).isEqualTo(2);
        assertThat(eval("$.empty.length()").asInt()).isZero();
    }

    @Test
    void filtersSlicesAndUnionsAreJaywayJsonPath() {
        assertThat(eval("$.items[?(@.id > 1)].name").toString()).isEqualTo("[\"b\"]");
        assertThat(eval("$.items[?(@.tags)].id").toString()).isEqualTo("[1]");
        assertThat(eval("$.items[0:1].id").toString()).isEqualTo("[1]");
        assertThat(eval("$.items[0,1].id").toString()).isEqualTo("[1,2]");
        assertThat(eval("$.items[?(@.id > 5)]").toString()).as("a filter that matches nothing").isEqualTo("[]");
        assertThat(JsonPath.compile("$.items[?(@.id > 1)]").isDefinite()).isFalse();
    }

    @Test
    void refusedSyntaxIsRejectedWithTheReason() {
        assertThatThrownBy(() -> JsonPath.compile("$.items[?(@.name =~ /a.*/)]")).hasMessageContaining("=~ operator is not supported");
        assertThatThrownBy(() -> JsonPath.compile("items")).hasMessageContaining("starts with '$'");
        assertThatThrownBy(() -> JsonPath.compile("$['a")).hasMessageContaining("invalid JSONPath");
        assertThat(JsonPath.compile("$.items[?(@.name == '=~')]").isDefinite()).as("=~ inside quotes is text").isFalse();
    }
}
