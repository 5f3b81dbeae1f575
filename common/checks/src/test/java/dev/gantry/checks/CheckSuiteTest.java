package dev.gantry.checks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CheckSuiteTest {

    private static final String CHAIN = """
            checks:
              - name: health
                wait: true
                request: { method: GET, path: /api/health }
                expect: { status: 200, jsonpath: { "$.status": "ok" }, duration: "<500ms" }
              - name: login
                request: { method: POST, path: /api/login, json: { user: smoke, password: "{{secrets.PW}}" } }
                capture: { token: { jsonpath: "$.token", secret: true } }
              - name: read
                request: { path: "/api/items/{{id}}", headers: { Authorization: "Bearer {{token}}" } }
                expect:
                  status: [200, 2xx]
                  headers: { Content-Type: { contains: json } }
                  jsonpath: { "$.name": { starts-with: smoke-, not-equals: x } }
                capture: { id: "$.id" }
              - name: delete
                always: true
                request: { method: delete, path: "/api/items/{{id}}" }
            soak:
              targets: [health, read]
              weights: [1, 3]
            """;

    @Test
    void readsChecksInOrderWithTheirParts() {
        CheckSuite s = CheckSuite.parse(CHAIN, "smoke.yml");
        assertThat(s.checks()).extracting(Check::name).containsExactly("health", "login", "read", "delete");
        assertThat(s.checks()).extracting(Check::line).containsExactly(2, 6, 9, 16);
        Check read = s.check("read");
        assertThat(read.request().method()).isEqualTo("GET");
        assertThat(read.assertions()).hasSize(4);
        assertThat(read.statusAssertion().accepts(204)).isTrue();
        assertThat(read.captures()).singleElement().satisfies(c -> assertThat(c.query()).isInstanceOf(Query.Json.class));
        assertThat(s.check("login").captures().get(0).secret()).isTrue();
        assertThat(s.check("delete").always()).isTrue();
        assertThat(s.check("delete").request().method()).isEqualTo("DELETE");
        assertThat(s.waitChecks()).extracting(Check::name).containsExactly("health");
        assertThat(s.soakTargets()).containsExactly(new CheckSuite.SoakTarget("health", 1), new CheckSuite.SoakTarget("read", 3));
    }

    @Test
    void withoutWaitMarksTheFirstGetIsTheProbeAndEveryGetIsASoakTarget() {
        CheckSuite s = CheckSuite.parse("""
                - name: home
                  request: { path: / }
                - name: post
                  request: { method: POST, path: /x }
                """, "<inline>");
        assertThat(s.waitChecks()).extracting(Check::name).containsExactly("home");
        assertThat(s.effectiveSoakTargets()).containsExactly(new CheckSuite.SoakTarget("home", 1));
    }

    private static CheckFileException error(String yaml) {
        return catchThrowableOfType(CheckFileException.class, () -> CheckSuite.parse(yaml, "smoke.yml"));
    }

    @Test
    void anUnknownKeyNamesFileLineColumnAndTheAlternatives() {
        CheckFileException e = error("""
                checks:
                  - name: health
                    request: { path: /health }
                    expcet: { status: 200 }
                """);
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.column()).isEqualTo(5);
        assertThat(e.getMessage()).startsWith("smoke.yml:4:5: unknown key 'expcet' in check 'health'")
                .contains("expect");
    }

    @Test
    void yamlSyntaxErrorsCarryTheParsersLocation() {
        CheckFileException e = error("""
                checks:
                  - name: health
                    request: { path: /health
                  - name: x
                """);
        assertThat(e.line()).isBetween(3, 5);
        assertThat(e.problem()).startsWith("not valid YAML: ").doesNotContain("reader").doesNotContain("\n");
    }

    @Test
    void eachKindOfMistakeIsNamedAtItsLine() {
        assertThat(error("checks:\n  - name: a\n    request: { path: health }\n").getMessage())
                .isEqualTo("smoke.yml:3:22: 'path' must start with '/' (got 'health')");
        assertThat(error("checks:\n  - name: a\n    request: { path: /, method: FETCH }\n").problem())
                .startsWith("unknown method 'FETCH'");
        assertThat(error("checks:\n  - name: a\n    request: { path: / }\n    expect: { status: 99 }\n").line()).isEqualTo(4);
        assertThat(error("checks:\n  - name: a\n    request: { path: / }\n    expect: { jsonpath: { \"$.a[?(@.b =~ /x/)]\": 1 } }\n").problem())
                .contains("the =~ operator is not supported");
        assertThat(error("checks:\n  - name: a\n    request: { path: / }\n    expect: { body: { matches: \"(\" } }\n").problem())
                .startsWith("bad regex");
        assertThat(error("checks:\n  - name: a\n    request: { path: / }\n  - name: a\n    request: { path: / }\n").getMessage())
                .isEqualTo("smoke.yml:4:5: duplicate check name 'a'");
        assertThat(error("checks:\n  - name: a\n    request: { path: /, json: {}, body: x }\n").problem())
                .contains("may have only one of json, form, body, multipart, file, base64");
        assertThat(error("checks:\n  - name: a\n    wait: yes please\n    request: { path: / }\n").problem())
                .startsWith("'wait' of check 'a' must be true or false");
        assertThat(error("checks:\n  - name: a\n    request: { method: POST, path: / }\nsoak:\n  targets: [a]\n").problem())
                .contains("is a POST");
        assertThat(error("checks:\n  - name: a\n    request: { path: / }\nsoak:\n  targets: [b]\n").getMessage())
                .isEqualTo("smoke.yml:5:13: soak target 'b' is not a check in this file");
        assertThat(error("checks: []\n").problem()).contains("non-empty list");
        assertThat(error("checks:\n  - name: a\n    request: { path: /, path: /b }\n").problem()).contains("duplicate key 'path'");
        assertThat(error("").problem()).isEqualTo("the checks are empty");
    }

    @Test
    void theDefaultSuiteIsOneGetOfTheRootExpecting2xx() {
        CheckSuite s = CheckSuite.defaultSuite();
        assertThat(s.checks()).singleElement().satisfies(c -> {
            assertThat(c.request().target()).isEqualTo("/");
            assertThat(c.statusAssertion().accepts(204)).isTrue();
            assertThat(c.statusAssertion().accepts(301)).isFalse();
        });
        assertThat(s.waitChecks()).hasSize(1);
        assertThatThrownBy(() -> s.checks().add(null)).isInstanceOf(UnsupportedOperationException.class);
        assertThat(List.of(s.effectiveSoakTargets().get(0).check())).containsExactly("root");
    }
}
