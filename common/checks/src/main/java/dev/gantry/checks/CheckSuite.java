package dev.gantry.checks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * An ordered list of checks plus the soak's weighted targets, read from checks YAML ({@link #parse}) or a Hurl file
 * ({@link #parseHurl}). Both compile to the same checks, so a construct means the same in both. Every mistake in
 * the file is reported with the file, line and column and what is wrong ({@link CheckFileException}), when the
 * file is read, before anything is sent.
 *
 * <pre>{@code
 * checks:
 *   - name: health
 *     wait: true
 *     request: { method: GET, path: /api/health }
 *     expect: { status: 200, jsonpath: { "$.status": "ok" }, duration: "<500ms" }
 *   - name: login
 *     request: { method: POST, path: /api/login, json: { user: smoke, password: "{{secrets.PASSWORD}}" } }
 *     capture: { token: { jsonpath: "$.token", secret: true } }
 * soak:
 *   targets: [health]
 *   weights: [1]
 *   errors: [5xx, 429]
 * }</pre>
 */
public record CheckSuite(String source, List<Check> checks, List<SoakTarget> soakTargets, Language language,
                         SoakOptions soakOptions) {

    /** The language the checks were written in. */
    public enum Language { YAML, HURL }

    /** A check the soak repeats, with its share of the requests. */
    public record SoakTarget(String check, int weight) {
    }

    /**
     * The rest of the soak's settings: {@code errors}, the statuses the soak counts as errors ({@code 5xx},
     * {@code [5xx, 429]}; null means what each check's status assertion does not allow); {@code maxWrites}, how many
     * write requests (POST, PUT, PATCH, DELETE) the soak may send, 0 when it sends none; {@code cleanup}, the check
     * run once per write with that write's captures (null: {@code none}, the writes leave nothing behind). Checks
     * YAML: {@code soak: errors:} and {@code soak: writes: {max, cleanup}}; a Hurl file: {@code # @soak-errors} and
     * {@code # @soak-writes max=N cleanup=NAME}.
     */
    public record SoakOptions(Assertion.Status errors, int maxWrites, String cleanup) {
        public static final SoakOptions DEFAULT = new SoakOptions(null, 0, null);
        public static final int MAX_WRITES = 10_000;
    }

    public CheckSuite {
        checks = List.copyOf(checks);
        soakTargets = List.copyOf(soakTargets);
        if (soakOptions == null) soakOptions = SoakOptions.DEFAULT;
    }

    public CheckSuite(String source, List<Check> checks, List<SoakTarget> soakTargets, Language language) {
        this(source, checks, soakTargets, language, SoakOptions.DEFAULT);
    }

    public CheckSuite(String source, List<Check> checks, List<SoakTarget> soakTargets) {
        this(source, checks, soakTargets, Language.YAML, SoakOptions.DEFAULT);
    }

    /** The suite used when no checks are given: {@code GET /} must answer 2xx, and is waited for. */
    public static CheckSuite defaultSuite() {
        Check root = new Check("root", 0, RequestSpec.get("/"), List.of(new Assertion.Status(List.of("2xx"))), List.of(),
                true, false, CheckOptions.DEFAULT, true, Set.of());
        return new CheckSuite("<default>", List.of(root), List.of());
    }

    public Check check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * The checks the wait phase repeats: those marked {@code wait: true}; when none is marked, the first check
     * if it is a GET, HEAD or OPTIONS that is not skipped; else none.
     */
    public List<Check> waitChecks() {
        List<Check> marked = checks.stream().filter(Check::waitFor).toList();
        if (!marked.isEmpty()) return marked;
        if (checks.isEmpty()) return List.of();
        Check first = checks.get(0);
        return first.request().isSafe() && !first.options().skip() ? List.of(first) : List.of();
    }

    /** The soak's targets: those the file names, else every safe check (GET/HEAD/OPTIONS) with weight 1. */
    public List<SoakTarget> effectiveSoakTargets() {
        if (!soakTargets.isEmpty()) return soakTargets;
        return checks.stream().filter(c -> c.request().isSafe()).map(c -> new SoakTarget(c.name(), 1)).toList();
    }

    /** Names captured by some check of the suite, each with the first check that captures it. */
    public Map<String, String> capturedNames() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Check c : checks) for (Capture cap : c.captures()) out.putIfAbsent(cap.name(), c.name());
        return out;
    }

    /**
     * Each {@code {{name}}} a check uses that no variable, secret, GitHub value or capture provides, as
     * {@code check 'x' (line N) uses {{name}}}; empty when every reference resolves.
     */
    public List<String> undefinedReferences(Set<String> variables, Set<String> secrets, Set<String> github) {
        Set<String> captured = capturedNames().keySet();
        List<String> out = new ArrayList<>();
        for (Check c : checks) {
            for (String r : c.references()) {
                boolean ok = r.startsWith("secrets.") ? secrets.contains(r.substring(8))
                        : r.startsWith("github.") ? github.contains(r.substring(7))
                        : r.startsWith("vars.") ? variables.contains(r.substring(5))
                        : variables.contains(r) || captured.contains(r) || r.equals("newUuid") || r.equals("newDate");
                if (!ok) {
                    out.add("check '" + c.name() + "'" + (c.line() > 0 ? " (line " + c.line() + ")" : "") + " uses {{" + r
                            + "}}, which is not a variable, a secret or a capture of any check");
                }
            }
        }
        return out;
    }

    /** Reads checks YAML; {@code source} names the file (or {@code <inline>}) in error messages. */
    public static CheckSuite parse(String yaml, String source) {
        return parse(yaml, source, FileResolver.within(Path.of(""), Path.of("")));
    }

    /** Reads checks YAML; files it names are found with {@code files}. */
    public static CheckSuite parse(String yaml, String source, FileResolver files) {
        return new YamlChecks(source, files).suite(YamlTree.parse(yaml, source));
    }

    /** Reads a Hurl file (see {@link HurlFile} for the subset and Gantry's comment directives). */
    public static CheckSuite parseHurl(String text, String source, FileResolver files) {
        return HurlFile.parse(text, source, files);
    }

    /**
     * The soak's statuses-as-errors rule from its codes and classes ({@code 503}, {@code 5xx}), or why it is not one.
     * Shared by both languages so that {@code errors: [5xx, 429]} and {@code # @soak-errors 5xx 429} mean the same.
     */
    static Assertion.Status soakErrors(List<String> codes) {
        if (codes.isEmpty()) throw new IllegalArgumentException("the soak's errors must name at least one status");
        List<String> out = new ArrayList<>();
        for (String c : codes) {
            String s = c.strip().toLowerCase(java.util.Locale.ROOT);
            if (!s.matches("[1-5]\\d\\d|[1-5]xx")) {
                throw new IllegalArgumentException("the soak's errors must be a code such as 200, a class such as 2xx, or a"
                        + " list of them (got '" + c + "')");
            }
            out.add(s);
        }
        return new Assertion.Status(out);
    }

    /**
     * Rules that hold for checks from any language: a wait check runs before every other check, so it cannot use
     * a value another check captures (refused here, with a pointer to {@code retry}).
     */
    static CheckSuite validated(CheckSuite s, BiFunction<Check, String, CheckFileException> error) {
        Map<String, String> captured = s.capturedNames();
        for (Check c : s.checks()) {
            if (!c.waitFor()) continue;
            for (String r : c.references()) {
                String by = captured.get(r);
                if (by != null) {
                    throw error.apply(c, "check '" + c.name() + "' is a wait check but uses {{" + r + "}}, which check '"
                            + by + "' captures: wait checks run before every other check. To poll after '" + by
                            + "', drop wait and give it retry (and retry-interval)");
                }
            }
        }
        return s;
    }
}
