package dev.gantry.smoketest;

import dev.gantry.checks.Check;
import dev.gantry.checks.CheckRunner;
import dev.gantry.checks.CheckSuite;
import dev.gantry.checks.ChecksInput;
import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Inputs;
import dev.gantry.common.github.GitHubReporter;
import dev.gantry.common.github.GitHubReporters;
import dev.gantry.common.action.Durations;
import dev.gantry.smoketest.slo.Gates;
import dev.gantry.smoketest.slo.Slo;
import dev.gantry.smoketest.soak.SoakPlan;
import dev.gantry.smoketest.soak.SoakSession;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every input of the smoke-test action, read and checked once, with the rules that span inputs (a soak needs a
 * repeatable check, a gate names a real check, every gate gets the samples it needs from the planned run, the
 * soak's writes fit their cap, the soak's targets are not behind the checks' proxy, every {@code {{name}}}
 * resolves). Built by {@link #read}; a wrong input is exit 2 naming it, before anything is sent.
 *
 * <p>{@code url} holds no user name or password: a {@code https://user:pass@host} URL is split here into the
 * clean URL (the only form ever printed) and a basic-authentication header for its origin, the password masked.
 */
record Settings(URI url, CheckSuite checks, Duration waitTimeout, Duration waitInterval, Duration requestTimeout,
                Map<String, String> headers, Map<String, String> variables, Map<String, String> secrets,
                List<Slo> slos, Soak soak, Path junitPath, String junitInput, Path jsonReportPath,
                String jsonReportInput, GitHubReporter reporter, SmokeTest.FailOn failOn) {

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Vercel's Deployment Protection bypass header: the default name for a bare {@code bypass-header} value. */
    static final String DEFAULT_BYPASS_HEADER = "x-vercel-protection-bypass";

    /** The soak's inputs; {@code rate} 0 is no soak. */
    record Soak(int rate, Duration duration, Duration warmup, int maxInFlight) {
    }

    /** What to do about a soak target the checks reach through a proxy (the soak's client connects directly). */
    static final String PROXY_REMEDY = "; add its host to no_proxy when the runner reaches it directly, or set"
            + " soak-rate to 0 (the soak's own client does not go through a proxy)";

    /** The soak as {@link SoakSession} takes it. */
    SoakSession.Settings soakSettings() {
        return new SoakSession.Settings(soak.rate(), soak.warmup(), soak.duration(), soak.maxInFlight(), requestTimeout);
    }

    /** The checks file as the repository names it, or {@code <inline checks>} / {@code <default>}. */
    String checksSource() {
        return checks.source();
    }

    static Settings read(ActionContext ctx) {
        Inputs inputs = ctx.inputs();
        String bypass = inputs.secret("bypass-header");
        Map<String, String> secrets = inputs.keyValues("secrets", true);
        String token = inputs.secret("github-token");
        inputs.required("url");
        URI raw = inputs.url("url", null);
        Map<String, String> headers = headers(inputs, bypass, ctx);
        URI url = withoutUserInfo(raw, headers, ctx);
        Map<String, String> variables = inputs.keyValues("variables", false);
        Duration waitTimeout = positive(inputs.duration("wait-timeout", Duration.ofMinutes(5)), "wait-timeout", true);
        Duration waitInterval = positive(inputs.duration("wait-interval", Duration.ofSeconds(5)), "wait-interval", false);
        Duration requestTimeout = positive(inputs.duration("request-timeout", Duration.ofSeconds(10)), "request-timeout", false);
        List<Slo> slos = slos(inputs);
        Soak soak = soak(inputs);
        CheckSuite checks = ChecksInput.read("checks", inputs.string("checks"), ctx.github().workspace());
        if (checks.language() == CheckSuite.Language.HURL) {
            // Hurl files name secrets as plain variables ({{password}}); base_url is the url input
            Map<String, String> v = new LinkedHashMap<>();
            v.put("base_url", url.toString().replaceAll("/+$", ""));
            v.putAll(secrets);
            v.putAll(variables);
            variables = v;
        }
        Path junit = inputs.workspacePath("junit-path", null);
        Path json = inputs.workspacePath("json-report", null);
        var reporter = inputs.bool("comment-on-pr")
                ? GitHubReporters.forStep(ctx, GitHubReporters.Settings.of(ctx.github(), token, true),
                        dev.gantry.common.http.Deadline.none(ctx.time())) : null;
        SmokeTest.FailOn failOn = SmokeTest.FailOn.valueOf(inputs.choice("fail-on", "any", "any", "functional", "slo")
                .toUpperCase(Locale.ROOT));
        Settings s = new Settings(url, checks, waitTimeout, waitInterval, requestTimeout, Map.copyOf(headers),
                Map.copyOf(variables), secrets, slos, soak, junit, inputs.string("junit-path"), json, inputs.string("json-report"),
                reporter, failOn);
        s.validate(githubNames());
        s.validateProxy(ctx);
        return s;
    }

    /** The cross-input rules; {@code github} names the {@code {{github.*}}} values the action provides. */
    void validate(Set<String> github) {
        for (Slo slo : slos) {
            if (slo.check() != null && checks.check(slo.check()) == null) {
                throw InputException.invalid("slo", "names check '" + slo.check() + "' in '" + slo.text()
                        + "', but the checks are: " + String.join(", ", checks.checks().stream().map(c -> c.name()).toList()));
            }
        }
        if (soak.rate() > 0 && checks.effectiveSoakTargets().isEmpty()) {
            throw InputException.invalid("soak-rate", "asks for a soak, but no check can be repeated: the soak sends only"
                    + " GET, HEAD and OPTIONS checks unless the checks file allows writes (name them under soak: targets:)");
        }
        List<String> undefined = checks.undefinedReferences(variables.keySet(), secrets.keySet(), github);
        if (!undefined.isEmpty()) {
            throw InputException.invalid("checks", undefined.get(0) + (undefined.size() > 1 ? " (and "
                    + (undefined.size() - 1) + " more)" : "") + "; define it in the variables or secrets input");
        }
        validateSamples();
    }

    /** Every gate must be judgeable on the requests the run plans, and the soak's writes must fit their cap. */
    private void validateSamples() {
        SoakPlan plan = soak.rate() > 0 ? SoakSession.skeleton(checks, soakSettings()) : null;
        for (Slo slo : slos) {
            String problem;
            if (plan != null && (slo.check() == null || plan.targets().stream().anyMatch(t -> t.name().equals(slo.check())))) {
                problem = Gates.tooFewPlanned(slo, SoakSession.measured(plan, slo.check()), true, "the soak plans",
                        "raise soak-rate or soak-duration" + (slo.check() == null ? "" : ", or " + slo.check() + "'s soak weight"));
            } else if (slo.check() != null) {
                problem = Gates.tooFewPlanned(slo, 1, false, "check '" + slo.check() + "' sends", plan == null
                        ? "set soak-rate to judge it on a soak" : "name it under soak: targets: to judge it on the soak");
            } else {
                problem = Gates.tooFewPlanned(slo, checks.checks().size(), false, "without a soak (soak-rate 0) the checks send",
                        "set soak-rate to judge it on a soak");
            }
            if (problem != null) throw InputException.invalid("slo", problem);
        }
        if (plan != null) {
            long writes = SoakSession.writes(plan);
            int max = checks.soakOptions().maxWrites();
            if (writes > max) {
                throw InputException.invalid("checks", String.format(Locale.ROOT, "allows the soak at most %d writes (soak: writes:"
                        + " max:), but %d req/s for %s (+%s warm-up) sends %d; lower the writes' weight, soak-rate or"
                        + " soak-duration, or raise max", max, soak.rate(), Durations.human(soak.duration()),
                        Durations.human(soak.warmup()), writes));
            }
        }
    }

    /**
     * The soak's own client connects directly, so a soak target the checks would reach through a proxy (from
     * {@code https_proxy}, {@code http_proxy}, {@code all_proxy} and {@code no_proxy}) is refused here rather than
     * measured on another path. Targets whose host comes from a capture are checked again when the soak starts.
     */
    private void validateProxy(ActionContext ctx) {
        if (soak.rate() <= 0) return;
        try (CheckRunner runner = CheckRunner.builder().proxyEnvironment(ctx::env).build()) {
            for (CheckSuite.SoakTarget t : checks.effectiveSoakTargets()) {
                Check c = checks.check(t.check());
                String target = c.request().target();
                URI uri;
                if (target.startsWith("/")) uri = url;
                else if (!target.contains("{{")) uri = URI.create(target);
                else continue;
                URI proxy = runner.proxyFor(uri);
                if (proxy != null) {
                    throw InputException.invalid("soak-rate", "asks for a soak, but soak target '" + c.name() + "' ("
                            + uri.getHost() + ") is reached through the proxy " + proxy.getHost()
                            + (proxy.getPort() > 0 ? ":" + proxy.getPort() : "") + PROXY_REMEDY);
                }
            }
        } catch (IllegalArgumentException e) {
            // a proxy variable that does not parse: the checks' own client says so when it is built
        }
    }

    static Set<String> githubNames() {
        return Set.of("repository", "sha", "head_sha", "ref", "ref_name", "head_ref", "event_name", "actor", "workflow",
                "run_id", "run_attempt", "run_number", "server_url", "pr_number");
    }

    private static Map<String, String> headers(Inputs inputs, String bypass, ActionContext ctx) {
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
        return headers;
    }

    /** Splits {@code user:pass@} off the URL into a masked basic-authentication header for its origin. */
    private static URI withoutUserInfo(URI url, Map<String, String> headers, ActionContext ctx) {
        String info = url.getRawUserInfo();
        if (info == null) return url;
        String decoded = URLDecoder.decode(info, StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        String user = colon < 0 ? decoded : decoded.substring(0, colon);
        String password = colon < 0 ? "" : decoded.substring(colon + 1);
        // the user info and the password are masked already: Inputs.url masks them as it reads the URL
        String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        ctx.log().addMask(basic.substring(6));
        headers.putIfAbsent("Authorization", basic);
        String s = url.toString();
        int at = s.indexOf('@');
        int scheme = s.indexOf("://");
        return URI.create(s.substring(0, scheme + 3) + s.substring(at + 1));
    }

    private static List<Slo> slos(Inputs inputs) {
        try {
            return new ArrayList<>(Slo.parseAll(inputs.multiline("slo")));
        } catch (Slo.SloSyntaxException e) {
            throw InputException.invalid("slo", "has a gate that does not parse: " + e.getMessage());
        }
    }

    private static Soak soak(Inputs inputs) {
        int rate = inputs.integer("soak-rate", 0, 0, 100_000);
        Duration duration = inputs.duration("soak-duration", Duration.ofSeconds(60));
        Duration warmup = inputs.duration("soak-warmup", Duration.ofSeconds(5));
        int maxInFlight = inputs.integer("max-in-flight", 64, 1, 10_000);
        if (rate > 0) {
            positive(duration, "soak-duration", false);
            if (warmup.isNegative()) throw InputException.invalid("soak-warmup", "must not be negative");
            if (duration.plus(warmup).compareTo(SoakPlan.MAX_TOTAL) > 0) {
                throw InputException.invalid("soak-duration", "plus soak-warmup must be at most 6h, the longest a job runs on"
                        + " a GitHub-hosted runner; the job's (or step's) timeout-minutes must also leave room for the soak,"
                        + " the wait and the checks");
            }
        }
        return new Soak(rate, duration, warmup, maxInFlight);
    }

    private static Duration positive(Duration d, String input, boolean zeroAllowed) {
        if (d.isNegative() || (!zeroAllowed && d.isZero())) {
            throw InputException.invalid(input, "must be a positive duration such as 500ms, 10s or 5m");
        }
        return d;
    }
}
