package dev.gantry.checks;

import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The two front ends of the language, read without a network: what they build and how they refuse. */
class LanguageTest {
    private final Scope scope = new Scope(Map.of(), Map.of(), Map.of());

    private static CheckFileException yamlError(String yaml) {
        return catchThrowableOfType(CheckFileException.class, () -> CheckSuite.parse(yaml, "c.yml"));
    }

    private static CheckFileException hurlError(String hurl) {
        return catchThrowableOfType(CheckFileException.class, () -> CheckSuite.parseHurl(hurl, "c.hurl", name -> {
            throw new IllegalArgumentException("the file '" + name + "' does not exist");
        }));
    }

    @Test
    void yamlAliasesAndMergeKeysAreResolvedAndAMappingsOwnKeyWins() {
        CheckSuite s = CheckSuite.parse("""
                checks:
                  - &base
                    name: a
                    request: { path: /a, headers: { X-One: "1", X-Two: "2" } }
                  - <<: *base
                    name: b
                """, "c.yml");
        assertThat(s.checks()).extracting(Check::name).containsExactly("a", "b");
        assertThat(s.check("b").request().target()).isEqualTo("/a");
        assertThat(s.check("b").request().headers()).extracting(RequestSpec.NameValue::value).containsExactly("1", "2");
        assertThat(yamlError("checks:\n  - name: a\n    name: b\n    request: { path: / }\n").problem()).isEqualTo("duplicate key 'name'");
    }

    @Test
    void textStaysTextAndAmbiguousTypedValuesStopWithTheirLine() {
        CheckSuite s = CheckSuite.parse("""
                - name: a
                  request: { path: /a, headers: { X-Flag: no, X-Code: 0123 }, query: { v: 1.10 } }
                  expect: { headers: { X-Build: 0123 } }
                """, "c.yml");
        assertThat(s.check("a").request().headers()).extracting(RequestSpec.NameValue::value).containsExactly("no", "0123");
        assertThat(s.check("a").request().query()).extracting(RequestSpec.NameValue::value).containsExactly("1.10");
        CheckFileException e = yamlError("- name: a\n  request:\n    path: /a\n    json: { on: on }\n");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.problem()).startsWith("unquoted on is ambiguous: YAML reads it as true");
        assertThat(yamlError("- name: a\n  request: { path: /a }\n  expect: { jsonpath: { \"$.v\": 1.10 } }\n").line()).isEqualTo(3);
        Object json = ((RequestSpec.Json) CheckSuite.parse("- name: a\n  request: { path: /a, json: { n: 12, f: 1.5, t: true, z: null } }\n",
                "c.yml").check("a").request().body()).value();
        @SuppressWarnings("unchecked") Map<Object, Object> m = (Map<Object, Object>) json;
        assertThat(m).containsEntry("n", 12).containsEntry("f", 1.5).containsEntry("t", true).containsEntry("z", null);
    }

    @Test
    void hurlEntriesDirectivesAndDefaultNames() {
        CheckSuite s = CheckSuite.parseHurl("""
                # a comment
                # @name up
                # @wait
                GET /health
                HTTP 200

                # @soak 3
                GET /items?x=1
                Accept: application/json
                [Query]
                y: 2

                # @always
                DELETE /items/{{id}}
                """, "c.hurl", name -> Path.of(name));
        assertThat(s.language()).isEqualTo(CheckSuite.Language.HURL);
        assertThat(s.checks()).extracting(Check::name).containsExactly("up", "entry-2", "entry-3");
        assertThat(s.checks()).extracting(Check::line).containsExactly(4, 8, 14);
        assertThat(s.waitChecks()).extracting(Check::name).containsExactly("up");
        assertThat(s.soakTargets()).containsExactly(new CheckSuite.SoakTarget("entry-2", 3));
        assertThat(s.check("entry-3").always()).isTrue();
        assertThat(s.check("entry-3").defaultStatus()).as("a Hurl entry without HTTP accepts any status").isFalse();
        assertThat(s.check("entry-3").statusAssertion().accepts(500)).isTrue();
        assertThat(s.check("entry-2").request().query()).extracting(RequestSpec.NameValue::name).containsExactly("y");
    }

    @Test
    void hurlRefusalsNameTheConstructAndItsLine() {
        assertThat(hurlError("GET /a\nHTTP 200\n[Asserts]\njsonpath \"$.a\" ~= 1\n").getMessage())
                .isEqualTo("c.hurl:4:16: expected a predicate (==, !=, <, contains, matches, exists, isInteger, ...), got '~= 1'");
        assertThat(hurlError("GET /a\n[Options]\nnetrc: true\n").getMessage()).startsWith("c.hurl:3:1: the option 'netrc' is not supported");
        assertThat(hurlError("POST /a\nfile,missing.bin;\n").getMessage()).isEqualTo("c.hurl:2:1: the file 'missing.bin' does not exist");
        assertThat(hurlError("GET /a\nHTTP 200\n[Asserts]\njsonpath \"$.a\" matches /(a)\\1/\n").problem()).contains("RE2 syntax");
        assertThat(hurlError("GET /a\nHTTP 200\n[Asserts]\nbody == \"open\n").problem()).contains("not closed");
        assertThat(hurlError("GET /a\nHost: x\n").problem()).contains("header 'Host' cannot be set");
        assertThat(hurlError("\n").problem()).isEqualTo("the Hurl file has no entries");
    }

    @Test
    void aWaitCheckThatUsesACaptureIsRefusedInBothLanguages() {
        assertThat(hurlError("POST /jobs\nHTTP 201\n[Captures]\njob: jsonpath \"$.id\"\n\n# @wait\nGET /jobs/{{job}}\n").getMessage())
                .startsWith("c.hurl:7:1: check 'entry-2' is a wait check but uses {{job}}, which check 'entry-1' captures");
    }

    @Test
    void filtersAndDatesWorkOnTheirOwn() {
        assertThat(new Filter.Split(",").apply(TextNode.valueOf("a,b,,c"), scope).size()).isEqualTo(4);
        assertThat(new Filter.UrlEncode().apply(TextNode.valueOf("a b/é"), scope).textValue()).isEqualTo("a%20b/%C3%A9");
        assertThat(new Filter.HtmlUnescape().apply(TextNode.valueOf("&lt;a&gt; &#x41;&#66; &unknown;"), scope).textValue())
                .isEqualTo("<a> AB &unknown;");
        assertThat(Strftime.format(Strftime.parse("Wed, 13 Jan 2021 22:23:01 GMT", "%a, %d %b %Y %H:%M:%S GMT"), "%+"))
                .isEqualTo("2021-01-13T22:23:01Z");
        assertThat(new Filter.Nth(5, "nth").apply(Values.list(List.of(TextNode.valueOf("x"))), scope).isMissingNode()).isTrue();
    }

    @Test
    void filesAreResolvedInsideTheWorkspaceWhenTheFileIsRead(@TempDir Path ws) throws Exception {
        Files.createDirectories(ws.resolve("checks"));
        Files.writeString(ws.resolve("checks/body.json"), "{}");
        Files.writeString(ws.getParent().resolve("outside-" + ws.getFileName() + ".txt"), "x");
        FileResolver files = FileResolver.within(ws, ws.resolve("checks"));
        assertThat(files.resolve("body.json")).isEqualTo(ws.resolve("checks/body.json").toRealPath());
        assertThat(catchThrowableOfType(IllegalArgumentException.class,
                () -> files.resolve("../../outside-" + ws.getFileName() + ".txt"))).hasMessageContaining("outside the workspace");
        CheckSuite s = CheckSuite.parse("- name: a\n  request: { method: POST, path: /a, file: body.json }\n", "checks/c.yml", files);
        assertThat(s.check("a").request().body()).isInstanceOf(RequestSpec.FileBody.class);
    }
}
