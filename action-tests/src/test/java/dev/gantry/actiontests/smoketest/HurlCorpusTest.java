package dev.gantry.actiontests.smoketest;

import dev.gantry.checks.CheckOutcome;
import dev.gantry.checks.CheckRunner;
import dev.gantry.checks.CheckSuite;
import dev.gantry.checks.ChecksInput;
import dev.gantry.checks.Scope;
import dev.gantry.checks.SuiteResult;
import dev.gantry.common.action.Log;
import dev.gantry.common.testing.FakeTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Hurl corpus ({@code src/test/resources/hurl-corpus}): each {@code .hurl} file covers constructs of the subset
 * Gantry runs, and its {@code .yml} twin says the same in checks YAML. Each is run by the Hurl file runner and by the
 * YAML runner against a fresh {@link FeatureApi}; the results must be equal: every check's status, failure kind,
 * HTTP status, number of failures and attempts, every captured value, and every request the API saw.
 */
class HurlCorpusTest {
    /** Variables and secrets of every run; Hurl files see secrets by their bare names. */
    private static final Map<String, String> VARIABLES = Map.of("run", "7", "admin", "false");
    private static final Map<String, String> SECRETS = Map.of("password", FeatureApi.PASSWORD, "pw", "sesame");

    /** What each file must do, beyond being equal: check → status (anything not listed passes). */
    private static final Map<String, Map<String, CheckOutcome.Status>> EXPECTED = Map.of(
            "06-options", Map.of("skipped", CheckOutcome.Status.SKIPPED),
            "09-failures", Map.of("wrong", CheckOutcome.Status.FAILED, "after", CheckOutcome.Status.SKIPPED));

    static Stream<String> corpus() throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(corpusDir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".hurl"))
                    .map(n -> n.substring(0, n.length() - 5)).sorted().toList().stream();
        }
    }

    static Path corpusDir() throws URISyntaxException {
        return Path.of(HurlCorpusTest.class.getResource("/hurl-corpus").toURI());
    }

    /** One run: outcomes, captures (as text) and what the API saw. */
    record Run(List<String> outcomes, Map<String, String> captures, List<String> transcript, String log) {
    }

    static Run run(Path workspace, String file) {
        CheckSuite suite = ChecksInput.read("checks", file, workspace);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Log log = new Log(new PrintStream(out, true, StandardCharsets.UTF_8), false);
        try (FeatureApi api = new FeatureApi();
             CheckRunner runner = CheckRunner.builder().time(new FakeTime().time()).build()) {
            Scope scope = runner.scope(suite, api.baseUrl(), VARIABLES, SECRETS, log);
            SuiteResult r = runner.run(suite, api.baseUrl(), scope, log, Map.of());
            List<String> outcomes = r.outcomes().stream().map(o -> o.name() + " " + o.status() + " " + o.failureKind()
                    + " http=" + o.httpStatus() + " failures=" + o.failures().size() + " attempts=" + o.attempts()).toList();
            Map<String, String> captures = new TreeMap<>();
            r.scope().captures().forEach((k, v) -> captures.put(k, Scope.text(v)));
            return new Run(outcomes, captures, api.transcript(), out.toString(StandardCharsets.UTF_8));
        }
    }

    static Path workspace(Path dir) throws IOException, URISyntaxException {
        try (Stream<Path> files = Files.list(corpusDir())) {
            for (Path f : files.toList()) Files.copy(f, dir.resolve(f.getFileName()));
        }
        return dir;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void theHurlFileAndItsYamlTwinGiveEqualResults(String name, @TempDir Path dir) throws Exception {
        Path ws = workspace(dir);
        Run hurl = run(ws, name + ".hurl");
        Run yaml = run(ws, name + ".yml");

        assertThat(hurl.outcomes()).as("outcomes\n--- hurl log ---\n%s\n--- yaml log ---\n%s", hurl.log(), yaml.log())
                .isEqualTo(yaml.outcomes());
        assertThat(hurl.captures()).as("captures").isEqualTo(yaml.captures());
        assertThat(hurl.transcript()).as("requests the API saw").isEqualTo(yaml.transcript());
        Map<String, CheckOutcome.Status> expected = EXPECTED.getOrDefault(name, Map.of());
        for (String line : hurl.outcomes()) {
            String check = line.substring(0, line.indexOf(' '));
            CheckOutcome.Status want = expected.getOrDefault(check, CheckOutcome.Status.PASSED);
            assertThat(line).as("%s in %s\n%s", check, name, hurl.log()).contains(" " + want + " ");
        }
    }

    @Test
    void theCorpusCoversEverySupportedConstruct() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(corpusDir())) {
            for (Path f : files.filter(p -> p.toString().endsWith(".hurl")).toList()) all.append(Files.readString(f));
        }
        String text = all.toString();
        for (String construct : List.of("[Query]", "[Form]", "[Multipart]", "[Cookies]", "[BasicAuth]", "[Options]",
                "[Captures]", "[Asserts]", "redact", "base64,", "hex,", "file,", "```", "`one line", "HTTP *", "[QueryStringParams]", "[FormParams]",
                "[MultipartFormData]", "```json", "```xml", "duration <", "htmlEscape", "base64UrlSafeEncode",
                "location: true", "retry:", "retry-interval:", "delay:", "repeat:", "skip:", "compressed:", "http1.1:",
                "max-time:", "not ", "isIsoDate", "count", "nth", "split", "replaceRegex", "regex", "toInt", "base64Decode",
                "urlDecode", "toDate", "dateFormat", "jsonpath \"$.books[?(", "variable \"", "cookie \"", "header \"",
                "sha256", "md5", "bytes", "redirects", "url ", "version ==", "{{")) {
            assertThat(text).as("a corpus file uses %s", construct).contains(construct);
        }
    }
}
