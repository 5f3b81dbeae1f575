package dev.gantry.smoketest.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.checks.CheckOutcome;
import dev.gantry.checks.HealthWait;
import dev.gantry.checks.SuiteResult;
import dev.gantry.smoketest.slo.Samples;
import dev.gantry.smoketest.slo.SloResult;
import dev.gantry.smoketest.soak.SoakResult;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The run as JSON, for a later step to read ({@code jq '.checks[] | select(.status == "failed")'}): the verdict, each
 * check (status, why it failed, timing, attempts), the wait, each SLO gate, the soak's figures when a soak ran, and
 * the same numbers as the outputs. Schema version 1; fields are only ever added. Every secret is masked in it.
 */
public final class JsonReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    public static final int SCHEMA = 1;

    /** Everything the report shows. */
    public record Run(String result, String headline, String url, String checksSource, String failOn, Instant started,
                      Instant finished, SuiteResult checks, HealthWait.Result waited, java.util.List<SloResult> gates,
                      SoakResult soak, String soakSkipped, Samples overall) {
    }

    private JsonReport() {
    }

    public static void write(Path file, Run run, UnaryOperator<String> mask) {
        try {
            if (file.getParent() != null) Files.createDirectories(file.getParent());
            Files.writeString(file, mask.apply(JSON.writeValueAsString(tree(run))) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the JSON report to " + file + ": " + e.getMessage(), e);
        }
    }

    static ObjectNode tree(Run run) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("result", run.result());
        root.put("headline", run.headline());
        root.put("url", run.url());
        root.put("checksSource", run.checksSource());
        root.put("failOn", run.failOn());
        root.put("startedAt", run.started().toString());
        root.put("durationMs", Duration.between(run.started(), run.finished()).toMillis());
        if (run.waited() == null) {
            root.putNull("wait");
        } else {
            ObjectNode w = root.putObject("wait");
            w.put("healthy", run.waited().healthy());
            w.put("attempts", run.waited().attempts());
            w.put("elapsedMs", run.waited().elapsed().toMillis());
        }
        ArrayNode checks = root.putArray("checks");
        for (CheckOutcome o : run.checks().outcomes()) checks.add(check(o));
        ArrayNode gates = root.putArray("gates");
        for (SloResult g : run.gates()) gates.add(gate(g));
        if (run.soak() == null) root.putNull("soak");
        else root.set("soak", soak(run.soak()));
        if (run.soakSkipped() == null) root.putNull("soakSkipped");
        else root.put("soakSkipped", run.soakSkipped());
        ObjectNode totals = root.putObject("totals");
        totals.put("checksPassed", run.checks().passed());
        totals.put("checksFailed", run.checks().failed());
        totals.put("checksSkipped", run.checks().skipped());
        totals.put("basis", run.overall().basis());
        totals.put("samples", run.overall().count());
        totals.put("p50Ms", ms(run.overall().latency(), 50));
        totals.put("p95Ms", ms(run.overall().latency(), 95));
        totals.put("p99Ms", ms(run.overall().latency(), 99));
        totals.put("errorRate", run.overall().count() == 0 ? 0 : run.overall().errorRate());
        return root;
    }

    private static ObjectNode check(CheckOutcome o) {
        ObjectNode c = JSON.createObjectNode();
        c.put("name", o.name());
        c.put("line", o.line());
        c.put("status", o.status().name().toLowerCase(Locale.ROOT));
        c.put("failureKind", o.failureKind().name().toLowerCase(Locale.ROOT));
        c.put("method", o.method());
        c.put("target", o.target());
        c.put("httpStatus", o.httpStatus());
        c.put("durationMs", o.durationMillis());
        c.put("attempts", o.attempts());
        c.put("message", o.message());
        ArrayNode f = c.putArray("failures");
        o.failures().forEach(f::add);
        return c;
    }

    private static ObjectNode gate(SloResult g) {
        ObjectNode n = JSON.createObjectNode();
        n.put("gate", g.slo().text());
        if (g.slo().check() == null) n.putNull("check");
        else n.put("check", g.slo().check());
        n.put("metric", g.slo().metricName());
        n.put("threshold", g.slo().threshold());
        if (Double.isNaN(g.measured())) n.putNull("measured");
        else n.put("measured", g.measured());
        n.put("samples", g.samples());
        n.put("basis", g.basis());
        n.put("passed", g.passed());
        n.put("status", g.status().name().toLowerCase(Locale.ROOT));
        n.put("default", g.isDefault());
        n.put("needed", g.needed());
        number(n, "asSent", g.asSent());
        number(n, "floor", g.floor());
        if (g.note() == null) n.putNull("note");
        else n.put("note", g.note());
        return n;
    }

    private static ObjectNode soak(SoakResult s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("engine", s.engine());
        n.put("targetRps", s.targetRps());
        n.put("achievedRps", s.achievedRps());
        n.put("durationSeconds", s.durationSeconds());
        n.put("measured", s.measuredSlots());
        n.put("sent", s.measuredSent());
        n.put("missed", s.missed());
        n.put("saturated", s.saturated());
        if (s.saturationReason() == null) n.putNull("saturationReason");
        else n.put("saturationReason", s.saturationReason());
        n.put("lagP99Ms", s.lagP99Ms());
        n.put("errorRule", s.errorRule());
        SoakResult.Generator g = s.generator();
        ObjectNode gen = n.putObject("generator");
        gen.put("keptUp", g.keptUp());
        gen.put("lagP99Ms", g.lagP99Ms());
        gen.put("lagMaxMs", g.lagMaxMs());
        gen.put("slotWaitP99Ms", g.slotWaitP99Ms());
        gen.put("stallP99Ms", g.stallP99Ms());
        gen.put("stallTotalMs", g.stallTotalMs());
        gen.put("loopBusy", g.loopBusy());
        gen.put("cpuMsPer1000", g.cpuMillisPer1000());
        gen.put("occupancy", g.occupancy());
        ArrayNode problems = gen.putArray("problems");
        g.problems().forEach(problems::add);
        if (s.writes() == null) {
            n.putNull("writes");
        } else {
            SoakResult.Writes w = s.writes();
            ObjectNode wn = n.putObject("writes");
            wn.put("planned", w.planned());
            wn.put("answered", w.answered());
            wn.put("errors", w.errors());
            wn.put("captured", w.captured());
            wn.put("cleaned", w.cleaned());
            wn.put("cleanupFailed", w.cleanupFailed());
            if (w.cleanupCheck() == null) wn.putNull("cleanupCheck");
            else wn.put("cleanupCheck", w.cleanupCheck());
        }
        n.set("overall", stats(s.overall()));
        ObjectNode per = n.putObject("targets");
        s.perTarget().forEach((k, v) -> per.set(k, stats(v)));
        ObjectNode statuses = n.putObject("statuses");
        s.statuses().forEach((k, v) -> statuses.put(Integer.toString(k), v));
        ObjectNode reasons = n.putObject("errorReasons");
        for (Map.Entry<String, Long> e : s.errorReasons().entrySet()) reasons.put(e.getKey(), e.getValue());
        return n;
    }

    private static ObjectNode stats(SoakResult.Stats st) {
        ObjectNode n = JSON.createObjectNode();
        n.put("count", st.count());
        n.put("errors", st.errors());
        n.put("errorRate", st.errorRate());
        n.put("p50Ms", st.p(50));
        n.put("p95Ms", st.p(95));
        n.put("p99Ms", st.p(99));
        n.put("maxMs", st.max());
        n.put("p50MsUncorrected", st.uncorrectedP(50));
        n.put("p99MsUncorrected", st.uncorrectedP(99));
        n.put("p99MsFloor", st.floorP(99));
        return n;
    }

    private static void number(ObjectNode n, String field, double v) {
        if (Double.isNaN(v)) n.putNull(field);
        else n.put(field, v);
    }

    private static double ms(org.HdrHistogram.Histogram h, double percentile) {
        long micros = h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile);
        return Math.round(micros / 10.0) / 100.0;
    }
}
