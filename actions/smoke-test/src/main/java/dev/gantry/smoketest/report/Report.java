package dev.gantry.smoketest.report;

import dev.gantry.common.action.Markdown;
import dev.gantry.common.action.Notice;
import dev.gantry.common.action.Summary;
import dev.gantry.checks.CheckOutcome;
import dev.gantry.checks.HealthWait;
import dev.gantry.checks.SuiteResult;
import dev.gantry.smoketest.slo.SloResult;
import dev.gantry.smoketest.soak.SoakResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report a person reads, as Markdown: the verdict line first, then the gates table, the checks table and
 * the soak's latency table, then details (failure reasons, the soak's self-check, the wait) in
 * {@code <details>}. Text that came from responses (failure reasons quote them) only appears inside fenced
 * code blocks. The same Markdown, without the wait details, is the sticky PR comment.
 */
public final class Report {
    private final String url;
    private final String verdict;
    private final String headline;
    private final SuiteResult checks;
    private final HealthWait.Result waited;
    private final List<SloResult> gates;
    private final SoakResult soak;
    private final String soakSkipped;
    private final String failOn;

    public Report(String url, String verdict, String headline, SuiteResult checks, HealthWait.Result waited,
                  List<SloResult> gates, SoakResult soak, String soakSkipped, String failOn) {
        this.url = url;
        this.verdict = verdict;
        this.headline = headline;
        this.checks = checks;
        this.waited = waited;
        this.gates = gates;
        this.soak = soak;
        this.soakSkipped = soakSkipped;
        this.failOn = failOn;
    }

    public void toSummary(Summary summary) {
        summary.markdown(markdown(false));
    }

    public Markdown markdown(boolean comment) {
        Markdown b = Markdown.of("");
        String icon = switch (verdict) {
            case "pass" -> "✅";
            case "inconclusive" -> "⚠️";
            default -> "❌";
        };
        b = b.append(Markdown.format("### %s smoke-test %s: %s\n\n", icon, verdict, url));
        b = b.append(Markdown.text(headline)).append("\n\n");
        if (verdict.equals("inconclusive")) {
            b = b.append("*Inconclusive is no verdict on the app: nothing is known to be wrong with it, so it is no reason"
                    + " to roll back (roll back on `fail` only). Rerun, or soak on a less busy runner.*\n\n");
        }

        if (!gates.isEmpty()) {
            List<List<Object>> rows = new ArrayList<>();
            for (SloResult g : gates) {
                Markdown gate = g.isDefault() ? Markdown.code(g.slo().text()).append(" (default)") : Markdown.code(g.slo().text());
                rows.add(List.of(g.status().mark(), gate, measured(g), g.basis() + ", " + g.samples() + " samples"));
            }
            b = b.append(Markdown.table(List.of("", "gate", "measured", "over"), rows));
            if (gates.stream().anyMatch(SloResult::isDefault)) {
                b = b.append(Markdown.format("Every soak gates on its errors: %s applies unless %s states an overall error gate"
                        + " (%s or a status share such as %s).\n\n", Markdown.code(gates.stream().filter(SloResult::isDefault)
                        .findFirst().orElseThrow().slo().text()), Markdown.code("slo"), Markdown.code("error-rate<…"), Markdown.code("5xx<2%")));
            }
        }

        List<List<Object>> rows = new ArrayList<>();
        for (CheckOutcome o : checks.outcomes()) {
            String result = switch (o.status()) {
                case PASSED -> "✓ passed";
                case SKIPPED -> "– skipped";
                case FAILED -> "✗ " + switch (o.failureKind()) {
                    case TRANSPORT -> "no response";
                    case CONFIGURATION -> "broken check";
                    default -> o.failures().size() + " assertion" + (o.failures().size() == 1 ? "" : "s") + " failed";
                };
            };
            rows.add(List.of(o.name(), Markdown.code(o.method() + " " + o.target()), o.httpStatus() == 0 ? "—" : Integer.toString(o.httpStatus()),
                    o.status() == CheckOutcome.Status.SKIPPED ? "—" : o.durationMillis() + " ms", result));
        }
        b = b.append(Markdown.table(List.of("check", "request", "status", "time", "result"), rows));

        if (soak != null) {
            List<List<Object>> lat = new ArrayList<>();
            lat.add(latencyRow("all (corrected)", soak.overall(), 0));
            lat.add(latencyRow("all (uncorrected)", soak.overall(), 1));
            lat.add(latencyRow("all (without the generator's delays)", soak.overall(), 2));
            if (soak.perTarget().size() > 1) {
                for (Map.Entry<String, SoakResult.Stats> e : soak.perTarget().entrySet()) lat.add(latencyRow(e.getKey(), e.getValue(), 0));
            }
            b = b.append(String.format(Locale.ROOT, "**Soak**: %.0f req/s asked, %.1f achieved over %.0f s; the generator %s\n\n",
                    soak.targetRps(), soak.achievedRps(), soak.durationSeconds(), soak.saturated()
                            ? "did **not** keep up (gates it could have tipped are inconclusive; the others stand)" : "kept up"));
            b = b.append(Markdown.format("Errors counted: requests with no answer, and %s.\n\n", soak.errorRule()));
            b = b.append(Markdown.table(List.of("latency (ms)", "requests", "errors", "p50", "p90", "p95", "p99", "max"), lat));
        } else if (soakSkipped != null) {
            b = b.append(Markdown.format("Soak skipped: %s.\n\n", soakSkipped));
        }

        StringBuilder failures = new StringBuilder();
        for (CheckOutcome o : checks.outcomes()) {
            if (!o.failed()) continue;
            failures.append(o.name()).append(": ").append(o.method()).append(' ').append(o.target())
                    .append(o.httpStatus() > 0 ? " → " + o.httpStatus() : "").append('\n');
            for (String f : o.failures()) failures.append("  ").append(f).append('\n');
        }
        if (!failures.isEmpty()) b = b.append(Markdown.details("Why checks failed", Markdown.codeBlock(failures.toString(), "text")));

        if (soak != null) {
            StringBuilder d = new StringBuilder(); // numbers of ours; the texts that quote responses are escaped
            d.append(String.format(Locale.ROOT, "- engine: %s; warm-up requests (sent, not measured): %d%n", soak.engine(), soak.warmupSent()));
            d.append(String.format(Locale.ROOT, "- measured slots %d, sent %d, never sent %d%n", soak.measuredSlots(), soak.measuredSent(), soak.missed()));
            SoakResult.Generator g = soak.generator();
            d.append(String.format(Locale.ROOT, "- schedule lag (noticing due requests late) p99 %.2f ms, max %.2f ms (limit %.1f ms)%n",
                    g.lagP99Ms(), g.lagMaxMs(), g.lagLimitMs()));
            d.append(String.format(Locale.ROOT, "- waiting for a free connection: p99 %.2f ms, max %.2f ms; %d requests waited over 1 ms;"
                    + " connections %.0f%% used on average (max-in-flight %d)%n", g.slotWaitP99Ms(), g.slotWaitMaxMs(), g.waited(),
                    g.occupancy() * 100, soak.maxInFlight()));
            d.append(String.format(Locale.ROOT, "- the machine held the generator back (stalls) p99 %.2f ms, max %.2f ms, %.0f ms in all%n",
                    g.stallP99Ms(), g.stallMaxMs(), g.stallTotalMs()));
            d.append(String.format(Locale.ROOT, "- generator loop busy %.0f%% of the time; CPU %.0f ms (%.1f ms per 1,000 requests)%n",
                    g.loopBusy() * 100, g.cpuMillis(), g.cpuMillisPer1000()));
            for (String problem : g.problems()) d.append("- **did not keep up**: ").append(Markdown.escape(problem)).append('\n');
            if (soak.writes() != null) {
                SoakResult.Writes w = soak.writes();
                d.append(String.format(Locale.ROOT, "- writes: %d planned, %d answered (%d errors)", w.planned(), w.answered(), w.errors()));
                if (w.cleanupCheck() != null) {
                    d.append(String.format(Locale.ROOT, "; cleanup %s undid %d, failed %d, %d left behind", Markdown.code(w.cleanupCheck()),
                            w.cleaned(), w.cleanupFailed(), w.leftBehind()));
                }
                d.append('\n');
                for (String p : w.problems()) d.append("  - ").append(Markdown.escape(p)).append('\n');
            }
            d.append("- statuses: ").append(soak.statuses().isEmpty() ? "none" : Markdown.escape(soak.statuses().toString())).append('\n');
            if (!soak.errorReasons().isEmpty()) d.append("- errors: ").append(Markdown.escape(soak.errorReasons().toString())).append('\n');
            if (soak.rateShortfall()) d.append("- **rate not reached**: ").append(Markdown.escape(soak.shortfallReason())).append('\n');
            d.append("\nCorrected latency counts from when each request was meant to be sent (wrk2's model), so a stall"
                    + " the server causes is charged to every request it delayed; uncorrected counts from the actual send."
                    + " \"Without the generator's delays\" takes out every delay the generator could have added (noticing an"
                    + " answer late, the machine holding it back). Gates use corrected; a gate that fails as measured but"
                    + " holds without the generator's delays is inconclusive when the generator did not keep up.\n");
            b = b.append(Markdown.details("Soak details", Markdown.of(d.toString())));
        }
        if (!comment && waited != null) {
            b = b.append(Markdown.details("Wait until healthy", Markdown.of(String.format(Locale.ROOT, "%s after %d attempt%s in %.1f s.%n",
                    waited.healthy() ? "Healthy" : "Not healthy", waited.attempts(), waited.attempts() == 1 ? "" : "s",
                    waited.elapsed().toMillis() / 1000.0))));
        }
        if (!comment) b = b.append("fail-on: ").append(Markdown.code(failOn)).append("\n");
        return b;
    }

    /**
     * What the team is told (the Slack message): the headline, the SLO table and the failed checks. Everything is
     * plain text here (a failure reason quotes the response); the renderer escapes it.
     */
    public void notice(Notice n) {
        n.subject("URL", url).headline(headline).link("Tested URL", url);
        n.fact("Checks", checks.passed() + " passed, " + checks.failed() + " failed"
                + (checks.outcomes().size() > checks.passed() + checks.failed()
                ? ", " + (checks.outcomes().size() - checks.passed() - checks.failed()) + " skipped" : ""));
        if (soak != null) {
            n.fact("Soak", String.format(Locale.ROOT, "%.1f of %.0f req/s, p95 %s ms, %d errors",
                    soak.achievedRps(), soak.targetRps(), f(soak.overall().p(95)), soak.overall().errors()));
        } else if (soakSkipped != null) {
            n.fact("Soak", "skipped: " + soakSkipped);
        }
        n.fact("Fails on", failOn);
        if (!gates.isEmpty()) {
            List<List<String>> rows = new ArrayList<>();
            for (SloResult g : gates) {
                rows.add(List.of(g.status().mark(), g.slo().text(), measuredText(g),
                        g.basis() + ", " + g.samples() + " samples"));
            }
            n.table("SLO gates", List.of("", "gate", "measured", "over"), rows);
        }
        List<String> failed = new ArrayList<>();
        for (CheckOutcome o : checks.outcomes()) {
            if (!o.failed()) continue;
            failed.add(o.name() + ": " + o.method() + " " + o.target() + (o.httpStatus() > 0 ? " → " + o.httpStatus() : "")
                    + (o.failures().isEmpty() ? "" : ": " + String.join("; ", o.failures())));
        }
        n.items("Failed checks", failed);
    }

    private static Markdown measured(SloResult g) {
        return Markdown.text(measuredText(g));
    }

    /** What was measured for a gate, as plain text (the summary escapes it, Slack's renderer too). */
    private static String measuredText(SloResult g) {
        return switch (g.status()) {
            case NOT_EVALUATED -> "not judged: " + g.note();
            case TOO_FEW -> g.slo().metricName() + " = " + g.value() + ": too few samples to judge (it needs " + g.needed() + ")";
            case UNDECIDED -> g.slo().metricName() + " = " + g.asSentValue() + " as sent, " + g.floorValue()
                    + " without the generator's delays: undecided";
            default -> g.slo().metricName() + " = " + g.value() + (g.lagMatters()
                    ? " (" + g.asSentValue() + " without the generator's schedule lag)" : "");
        };
    }

    /** {@code kind}: 0 corrected, 1 uncorrected, 2 floor (without the generator's delays). */
    private static List<Object> latencyRow(String name, SoakResult.Stats s, int kind) {
        java.util.function.DoubleUnaryOperator p = q -> kind == 0 ? s.p(q) : kind == 1 ? s.uncorrectedP(q) : s.floorP(q);
        org.HdrHistogram.Histogram h = kind == 0 ? s.corrected() : kind == 1 ? s.uncorrected() : s.floor();
        double max = h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1000.0;
        return List.of(name, Long.toString(s.count()), Long.toString(s.errors()), f(p.applyAsDouble(50)), f(p.applyAsDouble(90)),
                f(p.applyAsDouble(95)), f(p.applyAsDouble(99)), f(max));
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
