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
    void lengthCountsArraysObjectsAndStrings() {
        assertThat(eval("$.items.length()").asInt()).isEqualTo(2);
        assertThat(eval("$.empty.length()").asInt()).isZero();
        assertThat(eval("$.status.length()").asInt()).isEqualTo(2);
    }

    @Test
    void unsupportedSyntaxIsRejectedWithTheReason() {
        assertThatThrownBy(() -> JsonPath.compile("$.items[?(@.id>1)]")).hasMessageContaining("unsupported selector");
        assertThatThrownBy(() -> JsonPath.compile("$.items[0:2]")).hasMessageContaining("unsupported selector");
        assertThatThrownBy(() -> JsonPath.compile("items")).hasMessageContaining("starts with '$'");
        assertThatThrownBy(() -> JsonPath.compile("$.a..")).hasMessageContaining("needs a member name");
        assertThatThrownBy(() -> JsonPath.compile("$['a")).hasMessageContaining("unterminated");
    }
}
