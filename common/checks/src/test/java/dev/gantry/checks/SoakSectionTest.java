package dev.gantry.checks;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks file's {@code soak:} section beyond targets and weights: the error rule and writes (issue 19). */
class SoakSectionTest {

    private static final String CHECKS = """
            checks:
              - name: read
                request: { path: /api/items/1 }
              - name: create
                request: { method: POST, path: /api/items, json: { name: soak } }
                capture: { id: "$.id" }
              - name: delete
                always: true
                request: { method: DELETE, path: "/api/items/{{id}}" }
            """;

    private static CheckSuite parse(String soak) {
        return CheckSuite.parse(CHECKS + soak, "smoke.yml");
    }

    @Test
    void errorsAndWritesAreRead() {
        CheckSuite s = parse("""
                soak:
                  targets: [read, create]
                  weights: [9, 1]
                  errors: [5xx, 429]
                  writes: { max: 200, cleanup: delete }
                """);
        CheckSuite.SoakOptions o = s.soakOptions();
        assertThat(o.errors().allowed()).containsExactly("5xx", "429");
        assertThat(o.errors().accepts(503)).isTrue();
        assertThat(o.errors().accepts(404)).isFalse();
        assertThat(o.maxWrites()).isEqualTo(200);
        assertThat(o.cleanup()).isEqualTo("delete");
        assertThat(parse("soak: { targets: [read], errors: 5xx }").soakOptions().maxWrites()).isZero();
        assertThat(parse("soak: { targets: [create], writes: { max: 5, cleanup: none } }").soakOptions().cleanup()).isNull();
        assertThat(CheckSuite.parse(CHECKS, "smoke.yml").soakOptions()).isEqualTo(CheckSuite.SoakOptions.DEFAULT);
    }

    @Test
    void writesNeedTheFileToSaySoWithACapAndACleanup() {
        assertThatThrownBy(() -> parse("soak: { targets: [create] }"))
                .hasMessageContaining("smoke.yml:10:").hasMessageContaining("soak target 'create' is a POST; the soak repeats"
                        + " a write only when 'writes:' allows it (with 'max:' and 'cleanup:')");
        assertThatThrownBy(() -> parse("soak: { targets: [create], writes: { cleanup: delete } }"))
                .hasMessageContaining("'writes' needs 'max'");
        assertThatThrownBy(() -> parse("soak: { targets: [create], writes: { max: 20000, cleanup: delete } }"))
                .hasMessageContaining("'max' of 'writes' must be a whole number from 1 to 10000 (got 20000)");
        assertThatThrownBy(() -> parse("soak: { targets: [create], writes: { max: 5 } }"))
                .hasMessageContaining("'writes' needs 'cleanup'").hasMessageContaining("or 'none'");
        assertThatThrownBy(() -> parse("soak: { targets: [create], writes: { max: 5, cleanup: undo } }"))
                .hasMessageContaining("'cleanup' names 'undo', which is not a check in this file");
        assertThatThrownBy(() -> parse("soak: { targets: [create, delete], writes: { max: 5, cleanup: delete } }"))
                .hasMessageContaining("'cleanup' check 'delete' is also a soak target");
        assertThatThrownBy(() -> parse("soak: { targets: [read], writes: { max: 5, cleanup: none } }"))
                .hasMessageContaining("'writes' is set, but no soak target writes");
        assertThatThrownBy(() -> parse("soak: { targets: [read], errors: 5xy }"))
                .hasMessageContaining("a code such as 200, a class such as 2xx");
    }
}
