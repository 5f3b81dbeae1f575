package dev.gantry.common.action;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ActionYamlTest {

    @Test
    void readsNestedMappingsAndTheThreeScalarStyles() {
        Map<String, Object> y = ActionYaml.parse("""
                # a comment
                name: 'Gantry x'   # trailing comment
                description: "tab\\there \\"q\\" \\u00e9"
                inputs:
                  plain:
                    description: a: b # not a key, a comment
                    default: 10s
                  quoted:
                    default: 'it''s # not a comment'
                  empty:
                    default: ''
                  expr:
                    default: '${{ github.token }}'
                  bare:
                runs:
                  using: docker
                """);
        assertThat(y.get("name")).isEqualTo("Gantry x");
        assertThat(y.get("description")).isEqualTo("tab\there \"q\" é");
        @SuppressWarnings("unchecked") Map<String, Map<String, Object>> inputs = (Map<String, Map<String, Object>>) y.get("inputs");
        assertThat(inputs.keySet()).containsExactly("plain", "quoted", "empty", "expr", "bare");
        assertThat(inputs.get("plain")).containsEntry("description", "a: b").containsEntry("default", "10s");
        assertThat(inputs.get("quoted")).containsEntry("default", "it's # not a comment");
        assertThat(inputs.get("empty")).containsEntry("default", "");
        assertThat(inputs.get("expr")).containsEntry("default", "${{ github.token }}");
        assertThat(y.get("inputs")).extracting(m -> ((Map<?, ?>) m).get("bare")).isEqualTo("");
        assertThat(y.get("runs")).isEqualTo(Map.of("using", "docker"));
    }

    @Test
    void readsLiteralAndFoldedBlocksWithChomping() {
        Map<String, Object> y = ActionYaml.parse("""
                literal: |
                  line one
                    indented
                  line three

                folded: >
                  folded
                  together

                  new paragraph
                strip: |-
                  no final break
                keep: |+
                  kept

                after: x
                """);
        assertThat(y.get("literal")).isEqualTo("line one\n  indented\nline three\n");
        assertThat(y.get("folded")).isEqualTo("folded together\nnew paragraph\n");
        assertThat(y.get("strip")).isEqualTo("no final break");
        assertThat(y.get("keep")).isEqualTo("kept\n\n");
        assertThat(y.get("after")).isEqualTo("x");
    }

    @Test
    void readsSequencesOfScalars() {
        Map<String, Object> y = ActionYaml.parse("""
                runs:
                  args:
                    - one
                    - 'two'
                  env:
                  - three
                """);
        assertThat(y.get("runs")).isEqualTo(Map.of("args", List.of("one", "two"), "env", List.of("three")));
    }

    @Test
    void refusesWhatItDoesNotReadWithTheLine() {
        assertThatThrownBy(() -> ActionYaml.parse("name: x\ninputs: {a: 1}\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 2").hasMessageContaining("flow");
        assertThatThrownBy(() -> ActionYaml.parse("name: x\ndescription: one\n  two\n"))
                .hasMessageContaining("line 3").hasMessageContaining("multi-line");
        assertThatThrownBy(() -> ActionYaml.parse("name: 'open\n"))
                .hasMessageContaining("line 1").hasMessageContaining("unterminated");
        assertThatThrownBy(() -> ActionYaml.parse("a: 1\na: 2\n")).hasMessageContaining("duplicate key 'a'");
        assertThatThrownBy(() -> ActionYaml.parse("a:\n\tb: 1\n")).hasMessageContaining("tab");
        assertThatThrownBy(() -> ActionYaml.parse("a:\n  b: 1\n   c: 2\n")).hasMessageContaining("line 3");
    }

    @Test
    void metadataTakesRequiredAndDefaultsFromIt() {
        ActionMetadata md = ActionMetadata.parse("""
                name: n
                inputs:
                  a:
                    required: true
                  b:
                    default: 'x'
                outputs:
                  result:
                    description: r
                """.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(md.inputs().get("a").required()).isTrue();
        assertThat(md.inputs().get("a").defaultValue()).isNull();
        assertThat(md.inputs().get("b").defaultValue()).isEqualTo("x");
        assertThat(md.outputs()).containsEntry("result", "r");
    }
}
