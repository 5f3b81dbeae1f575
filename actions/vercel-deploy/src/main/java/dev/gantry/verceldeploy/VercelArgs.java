package dev.gantry.verceldeploy;

import dev.gantry.common.action.InputException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * amondnet/vercel-action's {@code vercel-args}: the CLI flags it put on the {@code vercel} command line, read for
 * the ones that change what is deployed. Split as amondnet splits it ({@code parseArgs}: white space, with
 * {@code '...'} and {@code "..."} kept whole). Any other flag, a positional argument or a token stops the step:
 * silently dropping a flag would deploy something else than the anchor did.
 */
record VercelArgs(boolean production, String target, boolean prebuilt, boolean tgz, boolean force,
                  Map<String, String> env, Map<String, String> buildEnv, List<String> regions, String scope,
                  Map<String, String> meta) {
    static final String INPUT = "vercel-args";
    static final String SUPPORTED = "--prod, --target <env>, --prebuilt, --archive=tgz, --force, -e/--env KEY=VALUE, "
            + "-b/--build-env KEY=VALUE, --regions <ids>, --scope <team>, -m/--meta KEY=VALUE";
    private static final Pattern WORD = Pattern.compile("'([^']*)'|\"([^\"]*)\"|\\S+");

    static final VercelArgs NONE = new VercelArgs(false, null, false, false, false, Map.of(), Map.of(), List.of(),
            null, Map.of());

    boolean isEmpty() {
        return equals(NONE);
    }

    /** The words of {@code text}, as amondnet's {@code parseArgs} splits them. */
    static List<String> split(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) out.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group());
        return out;
    }

    static VercelArgs parse(String text) {
        List<String> words = split(text);
        boolean prod = false, prebuilt = false, tgz = false, force = false;
        String target = null, scope = null;
        Map<String, String> env = new LinkedHashMap<>(), buildEnv = new LinkedHashMap<>(), meta = new LinkedHashMap<>();
        List<String> regions = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            int eq = w.startsWith("--") ? w.indexOf('=') : -1;
            String flag = eq > 0 ? w.substring(0, eq) : w;
            String inline = eq > 0 ? w.substring(eq + 1) : null;
            switch (flag) {
                case "--prod", "--production" -> prod = true;
                case "--prebuilt" -> prebuilt = true;
                case "--force", "-f" -> force = true;
                case "--archive" -> {
                    String v = inline != null ? inline : value(words, ++i, flag);
                    if (!v.equals("tgz") && !v.equals("split-tgz")) {
                        throw bad("has --archive=" + v + "; the CLI knows tgz (and its old name split-tgz)", "archive: tgz");
                    }
                    tgz = true;
                }
                case "--target" -> target = inline != null ? inline : value(words, ++i, flag);
                case "--scope", "-S" -> scope = inline != null ? inline : value(words, ++i, flag);
                case "--regions" -> {
                    for (String r : (inline != null ? inline : value(words, ++i, flag)).split(",")) {
                        if (!r.isBlank()) regions.add(r.trim());
                    }
                }
                case "--env", "-e" -> pair(env, inline != null ? inline : value(words, ++i, flag), flag, "env");
                case "--build-env", "-b" -> pair(buildEnv, inline != null ? inline : value(words, ++i, flag), flag, "build-env");
                case "--meta", "-m" -> pair(meta, inline != null ? inline : value(words, ++i, flag), flag, null);
                case "--token", "-t" -> throw new InputException(INPUT, "Input 'vercel-args' carries a token (" + flag
                        + "): a token on a command line is printed and kept in logs. Remove it from vercel-args and write:\n"
                        + "    vercel-token: ${{ secrets.VERCEL_TOKEN }}");
                default -> throw w.startsWith("-")
                        ? new InputException(INPUT, "Input 'vercel-args' has " + flag + ", which vercel-deploy does not "
                        + "support (it would change what is deployed, or means nothing without the CLI). Supported: "
                        + SUPPORTED + ". Remove " + flag + " from vercel-args.")
                        : bad("has the argument '" + w + "' (a path to deploy?)", "working-directory: " + w);
            }
        }
        return new VercelArgs(prod, target, prebuilt, tgz, force, Map.copyOf(env), Map.copyOf(buildEnv),
                List.copyOf(regions), scope, Map.copyOf(meta));
    }

    private static String value(List<String> words, int i, String flag) {
        if (i >= words.size() || words.get(i).startsWith("-")) {
            throw new InputException(INPUT, "Input 'vercel-args' has " + flag + " without a value");
        }
        return words.get(i);
    }

    private static void pair(Map<String, String> into, String kv, String flag, String input) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw bad("has " + flag + " " + kv + " without a value: the CLI would read " + kv + " from its own "
                    + "environment, which a container action does not share", (input == null ? "vercel-args: " + flag
                    : input + ": |\n      ") + kv + "=<value>");
        }
        into.put(kv.substring(0, eq), kv.substring(eq + 1));
    }

    private static InputException bad(String problem, String corrected) {
        return new InputException(INPUT, "Input 'vercel-args' " + problem + ". Write instead:\n    " + corrected);
    }

    /** The typed inputs these flags stand for, one line each (for the log). */
    List<String> asInputs() {
        List<String> out = new ArrayList<>();
        if (production) out.add("prod: true");
        if (target != null) out.add("target: " + target);
        if (prebuilt) out.add("prebuilt: true");
        if (tgz) out.add("archive: tgz");
        if (force) out.add("force: true");
        if (!env.isEmpty()) out.add("env: " + env.keySet() + " (values masked)");
        if (!buildEnv.isEmpty()) out.add("build-env: " + buildEnv.keySet() + " (values masked)");
        if (!regions.isEmpty()) out.add("regions: " + String.join(",", regions));
        if (scope != null) out.add("scope: " + scope);
        if (!meta.isEmpty()) out.add("meta: " + meta.keySet());
        return out;
    }
}
