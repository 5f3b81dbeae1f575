package dev.gantry.common.action;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Inputs exactly as the runner passes them and {@code @actions/core} reads them: {@code INPUT_} + the name in
 * upper case with spaces as {@code _} (hyphens kept), trimmed. Where no runner applied {@code action.yml} (a local
 * run, or an image pinned by digest, which the runner starts without reading it), its literal defaults are applied. Reading an input that action.yml does not declare is a
 * programming error and fails at once.
 */
public final class Inputs {
    private static final Set<String> TRUE = Set.of("true", "True", "TRUE");
    private static final Set<String> FALSE = Set.of("false", "False", "FALSE");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|h|m|s)");

    private final Map<String, String> env;
    private final ActionMetadata metadata;
    private final Log log;
    private final boolean applyDefaults;

    public Inputs(Map<String, String> env, ActionMetadata metadata, Log log, boolean applyDefaults) {
        this.env = env;
        this.metadata = metadata;
        this.log = log;
        this.applyDefaults = applyDefaults;
    }

    /** The environment variable the runner sets for an input. */
    public static String variableName(String input) {
        return "INPUT_" + input.replace(' ', '_').toUpperCase(Locale.ROOT);
    }

    /** {@code getInput(name)}: the trimmed value, or "" when absent. */
    public String string(String name) {
        ActionMetadata.InputSpec spec = metadata.inputs().get(name);
        if (spec == null) {
            throw new IllegalStateException("input '" + name + "' is read but not declared in action.yml");
        }
        String v = env.get(variableName(name));
        // The runner passes every declared input (defaults applied, the rest as ""), so an absent variable means
        // no action.yml was read: a digest pin (uses: docker://…) or a local run. Apply the packaged default then.
        if ((v == null || (v.isEmpty() && applyDefaults)) && spec.hasLiteralDefault()) {
            v = spec.defaultValue();
        }
        return v == null ? "" : v.trim();
    }

    /** {@code getInput(name, {required: true})}. */
    public String required(String name) {
        String v = string(name);
        if (v.isEmpty()) {
            throw new InputException(name, "Input required and not supplied: " + name);
        }
        return v;
    }

    /** A secret: masked before anything else can print it. Empty when absent. */
    public String secret(String name) {
        String v = string(name);
        log.addMask(v);
        return v;
    }

    public String requiredSecret(String name) {
        String v = secret(name);
        if (v.isEmpty()) {
            throw new InputException(name, "Input required and not supplied: " + name);
        }
        return v;
    }

    /** {@code getBooleanInput}: only the YAML 1.2 core schema spellings. */
    public boolean bool(String name) {
        String v = string(name);
        if (TRUE.contains(v)) return true;
        if (FALSE.contains(v)) return false;
        throw new InputException(name, "Input does not meet YAML 1.2 \"Core Schema\" specification: " + name
                + "\nSupport boolean input list: `true | True | TRUE | false | False | FALSE`"
                + (v.isEmpty() ? " (it is empty)" : " (got '" + v + "')"));
    }

    /** {@code getMultilineInput}: non-empty lines, each trimmed. Lines starting with {@code #} are comments. */
    public List<String> multiline(String name) {
        List<String> out = new ArrayList<>();
        for (String line : string(name).split("\n")) {
            String t = line.trim();
            if (!t.isEmpty() && !t.startsWith("#")) out.add(t);
        }
        return out;
    }

    /**
     * A duration: {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 250ms}, or a bare number of seconds.
     * Empty means {@code fallback}.
     */
    public Duration duration(String name, Duration fallback) {
        String v = string(name);
        if (v.isEmpty()) return fallback;
        Duration d = parseDuration(v);
        if (d == null) {
            throw InputException.invalid(name, "must be a duration such as 90s, 5m or 1h30m (got '" + v + "')");
        }
        return d;
    }

    public static Duration parseDuration(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.matches("\\d+")) return Duration.ofSeconds(Long.parseLong(s));
        Matcher m = DURATION_PART.matcher(s);
        Duration total = Duration.ZERO;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) return null;
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMillis(n);
            });
            end = m.end();
        }
        return end == s.length() && end > 0 ? total : null;
    }

    /** One of a fixed set of values; empty means {@code fallback}. */
    public String choice(String name, String fallback, String... allowed) {
        String v = string(name);
        if (v.isEmpty()) return fallback;
        if (!Arrays.asList(allowed).contains(v)) {
            throw InputException.invalid(name, "must be one of " + String.join(", ", allowed) + " (got '" + v + "')");
        }
        return v;
    }

    /** A positive whole number; empty means {@code fallback}. */
    public int integer(String name, int fallback, int min, int max) {
        String v = string(name);
        if (v.isEmpty()) return fallback;
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw InputException.invalid(name, "must be a whole number from " + min + " to " + max + " (got '" + v + "')");
        }
    }

    /** An absolute http(s) URL; empty means {@code fallback} (which may be null). */
    public URI url(String name, String fallback) {
        String v = string(name);
        if (v.isEmpty()) {
            return fallback == null ? null : URI.create(fallback);
        }
        maskUserInfo(v);
        try {
            URI u = new URI(v);
            if (u.getScheme() == null || u.getHost() == null
                    || !(u.getScheme().equals("https") || u.getScheme().equals("http"))) {
                throw new URISyntaxException(v, "not an absolute http(s) URL");
            }
            return u;
        } catch (URISyntaxException e) {
            throw InputException.invalid(name, "must be an absolute http:// or https:// URL (got '" + v + "')");
        }
    }

    private static final Pattern USER_INFO = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://([^/?#@]*)@");

    /**
     * A URL's {@code user:password@} is masked before the URL can be printed anywhere (a log line, an error about
     * the URL itself, the summary): as written, decoded, and the password alone.
     */
    private void maskUserInfo(String url) {
        Matcher m = USER_INFO.matcher(url);
        if (!m.find() || m.group(1).isEmpty()) return;
        String info = m.group(1);
        log.addMask(info);
        String decoded;
        try {
            decoded = java.net.URLDecoder.decode(info, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            decoded = info;
        }
        log.addMask(decoded);
        int colon = decoded.indexOf(':');
        if (colon >= 0 && colon < decoded.length() - 1) log.addMask(decoded.substring(colon + 1));
    }

    /**
     * {@code KEY=VALUE} lines (multiline input); the value may contain {@code =}. With {@code secretValues},
     * every value is masked before anything is printed.
     */
    public Map<String, String> keyValues(String name, boolean secretValues) {
        Map<String, String> out = new LinkedHashMap<>();
        int n = 0;
        for (String line : multiline(name)) {
            n++;
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw InputException.invalid(name, "line " + n + " must be KEY=VALUE (got '"
                        + (secretValues ? "<hidden>" : line) + "')");
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            if (secretValues) log.addMask(value);
            out.put(key, value);
        }
        return out;
    }

    /**
     * A path input, relative to the workspace ({@code GITHUB_WORKSPACE}), resolved inside it: {@code ..} that
     * leaves it is refused, and so is a symbolic link (anywhere on the path) that points outside it. The path need
     * not exist (an output file); the part that exists is checked. Empty means {@code fallback} (null: none).
     */
    public java.nio.file.Path workspacePath(String name, String fallback) {
        String v = string(name);
        if (v.isEmpty()) {
            if (fallback == null) return null;
            v = fallback;
        }
        return Workspace.resolve(workspace(), name, v);
    }

    private java.nio.file.Path workspace() {
        String w = env.get("GITHUB_WORKSPACE");
        return java.nio.file.Path.of(w == null || w.isBlank() ? System.getProperty("user.dir") : w);
    }

    public ActionMetadata metadata() {
        return metadata;
    }

    /**
     * The {@code with:} keys of the step that action.yml does not declare. The runner passes every key as
     * {@code INPUT_<KEY>}, declared or not, and only warns ("Unexpected input(s)"), so an action can still act on
     * them (honour a name users bring from another action, or stop). Keys are the variable names without
     * {@code INPUT_}, as the runner wrote them (upper case); values are trimmed, empty ones left out.
     * {@code entryPoint} and {@code args}, which the runner accepts for every container action, are not listed.
     */
    public Map<String, String> undeclared() {
        Set<String> declared = new java.util.HashSet<>();
        for (String name : metadata.inputs().keySet()) declared.add(variableName(name));
        Map<String, String> out = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String k = e.getKey();
            if (!k.startsWith("INPUT_") || declared.contains(k) || e.getValue() == null) continue;
            String key = k.substring("INPUT_".length());
            if (key.isEmpty() || key.equals("ENTRYPOINT") || key.equals("ARGS") || e.getValue().isBlank()) continue;
            out.put(key, e.getValue().trim());
        }
        return out;
    }
}
