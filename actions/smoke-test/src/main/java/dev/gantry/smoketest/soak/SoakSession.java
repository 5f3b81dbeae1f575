package dev.gantry.smoketest.soak;

import dev.gantry.checks.Check;
import dev.gantry.checks.CheckOutcome;
import dev.gantry.checks.CheckRunner;
import dev.gantry.checks.CheckSuite;
import dev.gantry.checks.RenderedRequest;
import dev.gantry.checks.Scope;
import dev.gantry.common.action.Log;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak as the app's users see it, built from the checks it repeats: each target is its check's request as
 * the checks left it (templates filled in with what they captured, so a captured token travels in its header),
 * plus the session cookies the checks' cookie jar holds for its URL, over the same TLS context as its check (CA,
 * client certificate, insecure). Errors are counted by the checks file's {@code soak.errors} rule when it has one,
 * else by each check's status assertion. Writes (when {@code soak.writes} allows them) keep their answers'
 * captures, and after the soak the cleanup check runs once per write with that write's captures.
 *
 * <p>The soak connects directly: it does not go through the proxy the checks use ({@code https_proxy},
 * {@code http_proxy}, {@code all_proxy}), so a target the checks reach through one is refused
 * ({@link ProxiedException}) rather than measured on another path.
 */
public final class SoakSession {
    /** The soak inputs. */
    public record Settings(int rate, Duration warmup, Duration duration, int maxInFlight, Duration requestTimeout) {
    }

    private SoakSession() {
    }

    /** A soak target the checks reach through a proxy, which the soak's own client does not use. */
    public static final class ProxiedException extends RuntimeException {
        public ProxiedException(String message) {
            super(message, null, false, false);
        }
    }

    /** The soak's schedule with the targets' names, weights and kinds but no requests: for counting beforehand. */
    public static SoakPlan skeleton(CheckSuite suite, Settings s) {
        List<SoakPlan.Target> targets = new ArrayList<>();
        for (CheckSuite.SoakTarget t : suite.effectiveSoakTargets()) {
            Check c = suite.check(t.check());
            RenderedRequest placeholder = new RenderedRequest(c.name(), c.request().method(), URI.create("http://planned.invalid/"),
                    Map.of(), null, c.request().target());
            targets.add(new SoakPlan.Target(c.name(), t.weight(), placeholder, SoakPlan.ErrorRule.notAccepted(c.statusAssertion()), null));
        }
        return new SoakPlan(s.rate(), s.warmup(), s.duration(), s.maxInFlight(), s.requestTimeout(), targets);
    }

    /** Measured requests the plan sends to {@code check} (all targets when null). */
    public static long measured(SoakPlan plan, String check) {
        long from = plan.totalSlots() - plan.measuredSlots();
        long n = 0;
        for (int i = 0; i < plan.targets().size(); i++) {
            if (check == null || plan.targets().get(i).name().equals(check)) n += plan.slotsFor(i, from, plan.totalSlots());
        }
        return n;
    }

    /** Write requests the plan sends, warm-up included (every one of them is a real write). */
    public static long writes(SoakPlan plan) {
        long n = 0;
        for (int i = 0; i < plan.targets().size(); i++) {
            if (plan.targets().get(i).write()) n += plan.slotsFor(i, 0, plan.totalSlots());
        }
        return n;
    }

    /** Builds the targets, runs the soak, then undoes its writes. */
    public static SoakResult run(CheckSuite suite, CheckRunner runner, Scope scope, URI url, Settings s, Log log) {
        CheckSuite.SoakOptions options = suite.soakOptions();
        List<CheckRunner.Captured> written = Collections.synchronizedList(new ArrayList<>());
        AtomicLong answered = new AtomicLong();
        AtomicLong writeErrors = new AtomicLong();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        List<SoakPlan.Target> targets = new ArrayList<>();
        boolean anyWrite = false;
        for (CheckSuite.SoakTarget t : suite.effectiveSoakTargets()) {
            Check c = suite.check(t.check());
            RenderedRequest rendered = runner.render(c, url, scope);
            URI proxy = runner.proxyFor(rendered.uri());
            if (proxy != null) {
                throw new ProxiedException("soak target '" + c.name() + "' (" + rendered.display() + ") is reached through the"
                        + " proxy " + proxy.getHost() + ":" + RenderedRequest.port(proxy) + ", but the soak connects directly");
            }
            RenderedRequest r = withCookies(rendered, runner.cookieHeader(rendered.uri()));
            SoakPlan.ErrorRule rule = options.errors() != null ? SoakPlan.ErrorRule.listed(options.errors())
                    : SoakPlan.ErrorRule.notAccepted(c.statusAssertion());
            SSLContext tls = runner.sslContext(c);
            SoakPlan.Target target = new SoakPlan.Target(c.name(), t.weight(), r, rule, null, tls);
            if (target.write()) {
                anyWrite = true;
                target = new SoakPlan.Target(c.name(), t.weight(), r, rule, answer -> {
                    answered.incrementAndGet();
                    if (rule.isError(answer.status())) writeErrors.incrementAndGet();
                    if (options.cleanup() == null) return;
                    CheckRunner.Captured got = runner.captures(c, scope, r.uri(), answer.status(), answer.headers(),
                            answer.body(), answer.truncated(), SoakPlan.MAX_KEPT_BODY);
                    if (got.missing().isEmpty() && !got.values().isEmpty()) written.add(got);
                    else if (problems.size() < 3) problems.add("a " + c.name() + " answer (" + answer.status() + ") gave no "
                            + (got.missing().isEmpty() ? "captures" : String.join(", ", got.missing())));
                }, tls);
            }
            targets.add(target);
        }
        SoakPlan plan = new SoakPlan(s.rate(), s.warmup(), s.duration(), s.maxInFlight(), s.requestTimeout(), targets);
        for (SoakPlan.Target t : targets) {
            boolean cookies = t.request().headers().keySet().stream().anyMatch(k -> k.equalsIgnoreCase("Cookie"));
            log.info(String.format(Locale.ROOT, "soak target %s: %s %s ×%d%s%s%s", t.name(), t.request().method(), t.request().display(),
                    t.weight(), cookies ? ", with the checks' cookies" : "", t.tls() != null ? ", with the check's TLS settings" : "",
                    t.write() ? ", a write" : ""));
        }
        SoakResult result = Soak.run(plan, log);
        if (!anyWrite) return result;

        long cleaned = 0;
        long failed = 0;
        Check cleanup = options.cleanup() == null ? null : suite.check(options.cleanup());
        if (cleanup != null && !written.isEmpty()) {
            log.info("soak cleanup: " + cleanup.name() + " for each of " + written.size() + " writes");
            int done = 0;
            for (CheckRunner.Captured captures : List.copyOf(written)) {
                CheckOutcome o = runner.execute(cleanup, url, scope.withCaptures(captures.values(), captures.secret()), log,
                        null, false);
                if (o.passed()) {
                    cleaned++;
                } else {
                    failed++;
                    if (problems.size() < 6) problems.add("cleanup " + o.method() + " " + o.target() + ": " + o.message());
                }
                if (++done % 500 == 0) log.info("soak cleanup: " + done + " of " + written.size());
            }
            log.info("soak cleanup: " + cleaned + " undone, " + failed + " failed");
        }
        SoakResult.Writes w = new SoakResult.Writes(writes(plan), answered.get(), writeErrors.get(), written.size(), cleaned,
                failed, options.cleanup(), List.copyOf(problems));
        return result.withWrites(w);
    }

    /** The request with the jar's cookies in front of any {@code Cookie} header the check sets itself. */
    static RenderedRequest withCookies(RenderedRequest r, String jar) {
        if (jar == null || jar.isEmpty()) return r;
        Map<String, String> headers = new LinkedHashMap<>();
        String own = null;
        for (Map.Entry<String, String> e : r.headers().entrySet()) {
            if (e.getKey().equalsIgnoreCase("Cookie")) own = e.getValue();
            else headers.put(e.getKey(), e.getValue());
        }
        headers.put("Cookie", own == null || own.isBlank() ? jar : jar + "; " + own);
        return new RenderedRequest(r.checkName(), r.method(), r.uri(), headers, r.body(), r.display());
    }
}
