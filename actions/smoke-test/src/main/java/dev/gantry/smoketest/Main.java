package dev.gantry.smoketest;

import dev.gantry.checks.CheckSuite;
import dev.gantry.checks.ChecksInput;
import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionRunner;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Inputs;
import dev.gantry.common.github.GitHubReporters;
import dev.gantry.common.http.WarmUp;
import dev.gantry.smoketest.slo.Slo;
import dev.gantry.smoketest.soak.SoakPlan;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The smoke-test action: reads and checks every input, then hands a {@link SmokeTest.Settings} to the flow.
 * Inputs are read only here.
 */
public final class Main {
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Vercel's Deployment Protection bypass header: the default name for a bare {@code bypass-header} value. */
    static final String DEFAULT_BYPASS_HEADER = "x-vercel-protection-bypass";

    private Main() {
    }

    public static void main(String[] args) {
        WarmUp.start(); // TLS and Jackson set-up on a spare core while the inputs are read
        ActionRunner.main(Main.class, Main::run, args);
    }

    public static void run(ActionContext ctx) {
        Inputs inputs = ctx.inputs();
        String bypass = inputs.secret("bypass-header");
        Map<String, String> secrets = inputs.keyValues("secrets", true);
        String token = inputs.secret("github-token");
        inputs.required("url");
        URI url = inputs.url("url", null);

        Map<String, String> headers = new LinkedHashMap<>();
        int n = 0;
        for (String line : inputs.multiline("headers")) {
            n++;
            int colon = line.indexOf(':');
            if (colon <= 0 || !HEADER_NAME.matcher(line.substring(0, colon).trim()).matches()) {
                throw InputException.invalid("headers", "line " + n + " must be 'Name: value' (got '" + line + "')");
            }
            headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        if (!bypass.isEmpty()) {
            int colon = bypass.indexOf(':');
            if (colon > 0 && HEADER_NAME.matcher(bypass.substring(0, colon).trim()).matches()) {
                String value = bypass.substring(colon + 1).trim();
                ctx.log().addMask(value);
                headers.put(bypass.substring(0, colon).trim(), value);
            } else {
                headers.put(DEFAULT_BYPASS_HEADER, bypass);
            }
        }

        Map<String, String> variables = inputs.keyValues("variables", false);
        Duration waitTimeout = positive(inputs.duration("wait-timeout", Duration.ofMinutes(5)), "wait-timeout", true);
        Duration waitInterval = positive(inputs.duration("wait-interval", Duration.ofSeconds(5)), "wait-interval", false);
        Duration requestTimeout = positive(inputs.duration("request-timeout", Duration.ofSeconds(10)), "request-timeout", false);

        List<Slo> slos;
        try {
            slos = Slo.parseAll(inputs.multiline("slo"));
        } catch (Slo.SloSyntaxException e) {
            throw InputException.invalid("slo", "has a gate that does not parse: " + e.getMessage());
        }

        int soakRate = inputs.integer("soak-rate", 0, 0, 100_000);
        Duration soakDuration = inputs.duration("soak-duration", Duration.ofSeconds(60));
        Duration soakWarmup = inputs.duration("soak-warmup", Duration.ofSeconds(5));
        int maxInFlight = inputs.integer("max-in-flight", 64, 1, 10_000);
        if (soakRate > 0) {
            positive(soakDuration, "soak-duration", false);
            if (soakWarmup.isNegative()) throw InputException.invalid("soak-warmup", "must not be negative");
            if (soakDuration.plus(soakWarmup).compareTo(SoakPlan.MAX_TOTAL) > 0) {
                throw InputException.invalid("soak-duration", "plus soak-warmup must be at most 6h, the longest a job runs on"
                        + " a GitHub-hosted runner; the job's (or step's) timeout-minutes must also leave room for the soak,"
                        + " the wait and the checks");
            }
        }

        String junit = inputs.string("junit-path");
        boolean commentOnPr = inputs.bool("comment-on-pr");
        String failOn = inputs.choice("fail-on", "any", "any", "functional", "slo");

        CheckSuite checks = ChecksInput.read("checks", inputs.string("checks"), ctx.github().workspace());

        Path junitPath = junit.isEmpty() ? null : ctx.github().workspace().resolve(junit).normalize();
        var reporter = commentOnPr
                ? GitHubReporters.create(GitHubReporters.Settings.of(ctx.github(), token, true), ctx.log())
                : null;

        SmokeTest.Settings settings = new SmokeTest.Settings(url, checks, waitTimeout, waitInterval,
                requestTimeout, headers, variables, secrets, slos, soakRate, soakDuration, soakWarmup, maxInFlight,
                junitPath, junit, reporter, SmokeTest.FailOn.valueOf(failOn.toUpperCase(java.util.Locale.ROOT)));
        new SmokeTest(ctx, settings).run();
    }

    private static Duration positive(Duration d, String input, boolean zeroAllowed) {
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw InputException.invalid(input, "must be a positive duration such as 500ms, 10s or 5m");
        }
        return d;
    }
}
