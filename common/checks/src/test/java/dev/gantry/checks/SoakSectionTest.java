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

    private static final String HURL = """
            # @soak-errors 5xx, 429
            # @name read
            # @soak 9
            GET /api/items/1

            # @name create
            # @soak
            POST /api/items
            { "name": "soak" }
            HTTP 201
            [Captures]
            id: jsonpath "$.id"

            # @name delete
            # @always
            DELETE /api/items/{{id}}
            """;

    private static CheckSuite hurl(String text) {
        return CheckSuite.parseHurl(text, "smoke.hurl", FileResolver.within(java.nio.file.Path.of(""), java.nio.file.Path.of("")));
    }

    @Test
    void aHurlFileSaysTheSameInComments() {
        CheckSuite s = hurl("# @soak-writes max=200 cleanup=delete\n" + HURL);
        assertThat(s.soakTargets()).containsExactly(new CheckSuite.SoakTarget("read", 9), new CheckSuite.SoakTarget("create", 1));
        CheckSuite.SoakOptions o = s.soakOptions();
        assertThat(o.errors().allowed()).containsExactly("5xx", "429");
        assertThat(o.maxWrites()).isEqualTo(200);
        assertThat(o.cleanup()).isEqualTo("delete");
        CheckSuite yaml = parse("""
                soak:
                  targets: [read, create]
                  weights: [9, 1]
                  errors: [5xx, 429]
                  writes: { max: 200, cleanup: delete }
                """);
        assertThat(yaml.soakOptions()).isEqualTo(o);
        assertThat(hurl(HURL + "# @soak-writes max=5 cleanup=none\n").soakOptions().cleanup()).isNull();
        assertThat(hurl("GET /health\n").soakOptions()).isEqualTo(CheckSuite.SoakOptions.DEFAULT);
    }

    @Test
    void aHurlFileThatWritesNeedsTheSameCapAndCleanup() {
        assertThatThrownBy(() -> hurl(HURL)).hasMessageContaining("smoke.hurl:8:")
                .hasMessageContaining("@soak on a POST entry; the soak repeats a write only when the file allows it"
                        + " with # @soak-writes max=N cleanup=NAME");
        assertThatThrownBy(() -> hurl("# @soak-writes cleanup=delete\n" + HURL)).hasMessageContaining("smoke.hurl:1:")
                .hasMessageContaining("@soak-writes needs max=N");
        assertThatThrownBy(() -> hurl("# @soak-writes max=20000 cleanup=delete\n" + HURL))
                .hasMessageContaining("max of @soak-writes must be a whole number from 1 to 10000 (got '20000')");
        assertThatThrownBy(() -> hurl("# @soak-writes max=5\n" + HURL)).hasMessageContaining("@soak-writes needs cleanup=NAME");
        assertThatThrownBy(() -> hurl("# @soak-writes max=5 cleanup=undo\n" + HURL))
                .hasMessageContaining("cleanup of @soak-writes names 'undo', which is not an entry of this file");
        assertThatThrownBy(() -> hurl("# @soak-writes max=5 cleanup=read\n" + HURL))
                .hasMessageContaining("cleanup entry 'read' of @soak-writes is also a @soak entry");
        assertThatThrownBy(() -> hurl("# @soak-writes max=5 cleanup=none\n# @soak\nGET /health\n"))
                .hasMessageContaining("@soak-writes is set, but no @soak entry writes");
        assertThatThrownBy(() -> hurl("# @soak-errors 5xy\nGET /health\n"))
                .hasMessageContaining("smoke.hurl:1:").hasMessageContaining("a code such as 200, a class such as 2xx");
        assertThatThrownBy(() -> hurl("# @soak-errors 5xx\n# @soak-errors 4xx\nGET /health\n"))
                .hasMessageContaining("a second @soak-errors (the first is on line 1)");
        assertThatThrownBy(() -> hurl("# @soak-writes max=5 cleanup=none size=3\n" + HURL))
                .hasMessageContaining("@soak-writes takes max=N and cleanup=NAME (or cleanup=none), got 'size=3'");
    }
}
