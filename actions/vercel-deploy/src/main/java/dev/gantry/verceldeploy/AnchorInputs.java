package dev.gantry.verceldeploy;

import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Inputs;
import dev.gantry.common.action.Log;
import dev.gantry.common.vercel.VercelClient;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The inputs of amondnet/vercel-action (v25, v41, v42, with the deprecated {@code zeit-*}/{@code now-*} names) that
 * vercel-deploy does not declare. The runner passes every {@code with:} key to the container as {@code INPUT_*},
 * declared or not, and only warns; so a step moved over by changing {@code uses:} still carries them, and each is
 * either honoured with amondnet's meaning or stops the step (exit 2) with the line to write instead. Any other
 * undeclared input stops the step too: an input that does nothing is a deploy that differs in silence. The inputs
 * both actions declare (vercel-token, working-directory, alias-domains, target, prebuilt, env, ...) are read as
 * vercel-deploy's own. The choices are in README.md, "Moving from amondnet/vercel-action".
 */
record AnchorInputs(VercelArgs args, String scope, String projectName, String outputDir, String rootDirectory,
                    String customEnvironment, boolean amondnetShaped) {
    /** Honoured: read below. */
    static final Set<String> HONOURED = Set.of("vercel-args", "scope", "vercel-project-name", "vercel-output-dir",
            "root-directory", "custom-environment", "public", "experimental-api");

    static AnchorInputs read(Map<String, String> env, Inputs inputs, Log log) {
        Map<String, String> extra = undeclared(env, inputs);
        stopForUnsupported(extra);
        String args = extra.getOrDefault("vercel-args", "");
        VercelArgs parsed = args.isEmpty() ? VercelArgs.NONE : VercelArgs.parse(args);
        if (!parsed.isEmpty()) log.info("vercel-args read as: " + String.join(", ", parsed.asInputs()));
        if (parsed.meta().containsKey(VercelClient.REQUEST_KEY_META)) {
            throw InputException.invalid("vercel-args", "sets -m " + VercelClient.REQUEST_KEY_META + ", which vercel-deploy "
                    + "uses itself to find a deployment whose answer was lost; use another key");
        }
        String isPublic = extra.getOrDefault("public", "");
        if (!isPublic.isEmpty() && !isPublic.equalsIgnoreCase("false")) {
            throw new InputException("public", "Input 'public' (amondnet/vercel-action) asks for a deployment whose source "
                    + "anyone can read; Vercel's CLI no longer sends it and vercel-deploy does not either. Remove the line "
                    + "`public: " + isPublic + "`.");
        }
        boolean shaped = amondnetShaped(env, inputs, extra);
        if (shaped && !"true".equalsIgnoreCase(extra.getOrDefault("experimental-api", ""))) {
            for (String name : CLI_MODE_IGNORED) {
                if (!setByStep(name, env, inputs, extra)) continue;
                log.warning("Input '" + name + "': amondnet/vercel-action applies it only with experimental-api: true "
                        + "(its default mode runs the Vercel CLI and ignores it), so the same step did without it there; "
                        + "vercel-deploy applies it. If the step relied on it being ignored, remove the line `" + name + ": ...`.");
            }
        }
        return new AnchorInputs(parsed, blank(extra.get("scope")), blank(extra.get("vercel-project-name")),
                blank(extra.get("vercel-output-dir")), blank(extra.get("root-directory")),
                blank(extra.get("custom-environment")), shaped);
    }

    /**
     * amondnet/vercel-action v42's typed inputs that only its {@code experimental-api} mode reads; its default
     * (CLI) mode ignores them (its README says so). vercel-deploy applies each one.
     */
    static final List<String> CLI_MODE_IGNORED = List.of("target", "prebuilt", "force", "env", "build-env", "regions",
            "archive", "root-directory", "auto-assign-custom-domains", "custom-environment", "with-cache", "vercel-output-dir");

    /** Whether the step gives {@code name} a value: undeclared and present, or declared and not action.yml's default. */
    private static boolean setByStep(String name, Map<String, String> env, Inputs inputs, Map<String, String> extra) {
        if (extra.containsKey(name)) return !extra.get(name).isBlank();
        var spec = inputs.metadata().inputs().get(name);
        if (spec == null) return false;
        String v = env.get(Inputs.variableName(name));
        if (v == null || v.isBlank()) return false;
        return spec.defaultValue() == null || !v.trim().equals(spec.defaultValue().trim());
    }

    /**
     * Whether the step reads as one written for amondnet/vercel-action: it sets one of amondnet's inputs that
     * vercel-deploy does not declare ({@code vercel-args}, {@code scope}, ...), or it sets none of the inputs only
     * vercel-deploy has ({@code promote}, {@code timeout}, {@code slack-*}, ...; {@code prod} aside, which is what
     * the question is about, and {@code api-url}, which points at a stand-in or a proxy). "Sets" means a value
     * other than action.yml's default, since the runner passes every declared input with its default.
     */
    static boolean amondnetShaped(Map<String, String> env, Inputs inputs, Map<String, String> extra) {
        if (extra.keySet().stream().anyMatch(ANCHOR_INPUTS::contains)) return true;
        for (String name : inputs.metadata().inputs().keySet()) {
            if (ANCHOR_INPUTS.contains(name) || name.equals("prod") || name.equals("api-url")) continue;
            if (setByStep(name, env, inputs, Map.of())) return false;
        }
        return true;
    }

    /** {@code INPUT_*} variables that action.yml does not declare, by input name (lower case, as written). */
    static Map<String, String> undeclared(Map<String, String> env, Inputs inputs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!e.getKey().startsWith("INPUT_")) continue;
            String name = e.getKey().substring(6).toLowerCase(Locale.ROOT).replace('_', ' ');
            boolean declared = inputs.metadata().inputs().keySet().stream()
                    .anyMatch(d -> Inputs.variableName(d).equals(e.getKey()));
            if (!declared) out.put(name, e.getValue().trim());
        }
        return out;
    }

    private static void stopForUnsupported(Map<String, String> extra) {
        for (Map.Entry<String, String> e : extra.entrySet()) {
            String name = e.getKey();
            String v = e.getValue();
            String problem = switch (name) {
                case "zeit-token" -> renamed(name, "vercel-token", "${{ secrets.VERCEL_TOKEN }}  # the value you gave zeit-token");
                case "now-args" -> renamed(name, "vercel-args", v);
                case "now-project-id" -> renamed(name, "vercel-project-id", v);
                case "now-org-id" -> renamed(name, "vercel-org-id", v);
                case "vercel-version" -> "Input 'vercel-version' picks the version of the Vercel CLI that "
                        + "amondnet/vercel-action runs; vercel-deploy runs no CLI (it calls the API the CLI calls). "
                        + "Remove the line `vercel-version: " + v + "`.";
                case "vercel-build" -> v.equalsIgnoreCase("false") ? null : "Input 'vercel-build' makes "
                        + "amondnet/vercel-action run `vercel pull` and `vercel build` itself; vercel-deploy deploys what "
                        + "is built. Build in a step before (`npx vercel pull --yes --environment=<env> --token ...` and "
                        + "`npx vercel build [--prod] --token ...`), then write instead of `vercel-build: " + v + "`:\n"
                        + "    prebuilt: true";
                default -> HONOURED.contains(name) ? null : "Input '" + name + "' is not an input of vercel-deploy (nor of "
                        + "amondnet/vercel-action), so it would do nothing; the runner only warns about it. Remove it, or "
                        + "see the inputs in the action's README.";
            };
            if (problem != null) throw new InputException(name, problem);
        }
    }

    private static String renamed(String old, String now, String value) {
        return "Input '" + old + "' is amondnet/vercel-action's deprecated name, which that action no longer reads (it "
                + "is ignored there). Write instead:\n    " + now + ": " + value;
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The names of amondnet's inputs (v25, v41, v42): what tells a step written for it from one written for vercel-deploy. */
    static final List<String> ANCHOR_INPUTS = List.of("vercel-token", "vercel-args", "github-comment", "github-token",
            "github-deployment", "github-deployment-environment", "working-directory", "vercel-project-id",
            "vercel-org-id", "vercel-project-name", "vercel-version", "scope", "zeit-token", "now-args",
            "now-project-id", "now-org-id", "alias-domains", "target", "prebuilt", "vercel-build", "vercel-output-dir",
            "force", "env", "build-env", "regions", "archive", "root-directory", "auto-assign-custom-domains",
            "custom-environment", "public", "with-cache", "experimental-api");
}
