package dev.gantry.smoketest.report;

import dev.gantry.checks.CheckOutcome;
import dev.gantry.checks.Scope;
import dev.gantry.checks.SuiteResult;
import dev.gantry.smoketest.slo.Samples;
import dev.gantry.smoketest.slo.Slo;
import dev.gantry.smoketest.slo.SloResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest {
    private static final CheckOutcome FAILED = new CheckOutcome("read", 9, CheckOutcome.Status.FAILED,
            CheckOutcome.FailureKind.ASSERTION, "GET", "/api/items/1", 200, 12,
            List.of("jsonpath $.name: expected it to equal \"x\", got \"![pwn](http://evil)<img src=x>\u0001\""),
            "jsonpath $.name: expected it to equal \"x\", got \"![pwn](http://evil)<img src=x>\u0001\"");

    @Test
    void responseTextInTheHeadlineIsInertAndDetailsAreFenced() {
        SuiteResult checks = new SuiteResult(List.of(FAILED), new Scope(Map.of(), Map.of(), Map.of()));
        Report r = new Report("https://app.example", "fail", "'read' failed: " + FAILED.message(), checks, null, List.of(),
                null, null, "any");
        String md = r.markdown(false).toString();
        assertThat(md).startsWith("### ❌ smoke-test fail: https\\://app.example\n\n");
        assertThat(md.lines().skip(2).findFirst().orElseThrow()).doesNotContain("![", "<img").contains("&lt;img")
                .contains("\\!\\[pwn\\](http\\://evil)");
        assertThat(md).contains("| read | `GET /api/items/1` | 200 | 12 ms | ✗ 1 assertion failed |");
        assertThat(md).contains("<details><summary>Why checks failed</summary>\n\n```text\nread: GET /api/items/1 → 200\n");
    }

    @Test
    void junitEscapesAndDropsControlCharacters(@TempDir Path dir) throws Exception {
        org.HdrHistogram.Histogram h = Samples.histogram();
        h.recordValue(5000);
        SloResult gate = new Samples(h, 1, 0, new long[Samples.STATUS_SLOTS], "checks").evaluate(Slo.parse("max<1"), false, null);
        SloResult tooFew = new Samples(h, 1, 0, new long[Samples.STATUS_SLOTS], "checks").evaluate(Slo.parse("p(95)<800"), false, null);
        Path f = dir.resolve("out/junit.xml");
        JUnitReport.write(f, "smoke.yml", List.of(FAILED), List.of(gate, tooFew), null, Instant.parse("2026-11-23T13:00:00Z"),
                s -> s.replace("evil", "***"));
        String xml = Files.readString(f);
        assertThat(xml).startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .contains("<testsuites name=\"smoke-test\" tests=\"3\" failures=\"2\" errors=\"1\" skipped=\"0\"")
                .contains("file=\"smoke.yml\" line=\"9\"")
                .contains("&lt;img src=x&gt;").doesNotContain("\u0001").doesNotContain("evil")
                .contains("<testcase classname=\"smoke-test.slo\" name=\"max&lt;1\" time=\"0\"><failure message=\"max=5.00ms (checks)\" type=\"slo\">")
                .contains("<testcase classname=\"smoke-test.slo\" name=\"p(95)&lt;800\" time=\"0\"><error message=\"")
                .contains("p(95)=5.00ms from 1 sample: too few to judge (it needs 20)\" type=\"inconclusive\"");
        javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(f.toFile());
    }
}
