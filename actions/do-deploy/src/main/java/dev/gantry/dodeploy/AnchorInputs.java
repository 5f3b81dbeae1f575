package dev.gantry.dodeploy;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Log;
import dev.gantry.common.digitalocean.DeploymentWatcher.LogPolicy;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The input names of {@code digitalocean/app_action} v2 ({@code deploy} and {@code delete}), which a step keeps
 * when only its {@code uses:} line changes. action.yml does not declare them (Gantry's inputs are kebab-case), but
 * the runner passes every {@code with:} key as {@code INPUT_*} anyway and only warns, so each one is either
 * honoured here with app_action's meaning, under the Gantry input it maps to (with a warning that shows the line
 * to write), or it stops the step with exit 2, naming the Gantry input to use and showing the corrected line. Any
 * other undeclared input stops the step too: a key the action would ignore is a silent difference.
 *
 * <p>Also app_action v2's image override by environment: {@code IMAGE_DIGEST_<COMPONENT>} (or else
 * {@code IMAGE_TAG_<COMPONENT>}) pins the image of every image component, named upper case with {@code -} as
 * {@code _}.
 */
final class AnchorInputs {
    static final String ANCHOR = "digitalocean/app_action";
    /** Go's strconv.ParseBool, which app_action reads its booleans with. */
    private static final Set<String> GO_TRUE = Set.of("1", "t", "T", "TRUE", "true", "True");
    private static final Set<String> GO_FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

    private final Map<String, String> given;
    private final Log log;
    private final Settings.Builder b;
    private final Set<String> declared;

    private AnchorInputs(ActionContext ctx, Settings.Builder b) {
        this.given = new TreeMap<>(ctx.inputs().undeclared());
        this.log = ctx.log();
        this.b = b;
        this.declared = ctx.inputs().metadata().inputs().keySet();
    }

    /** Applies app_action's inputs and image variables of the step to {@code b}, or stops the step. */
    static void apply(ActionContext ctx, Settings.Builder b) {
        b.imageEnv(imageVariables(ctx.environment()));
        new AnchorInputs(ctx, b).apply();
    }

    private void apply() {
        String appName = take("APP_NAME");
        String specLocation = take("APP_SPEC_LOCATION");
        String projectId = take("PROJECT_ID");
        String printBuild = take("PRINT_BUILD_LOGS");
        String printDeploy = take("PRINT_DEPLOY_LOGS");
        String prPreview = take("DEPLOY_PR_PREVIEW");
        String appId = take("APP_ID");
        String fromPr = take("FROM_PR_PREVIEW");
        String ignoreNotFound = take("IGNORE_NOT_FOUND");
        if (!given.isEmpty()) throw unknownInput(given.keySet().iterator().next().toLowerCase(Locale.ROOT));

        if (fromPr != null || appId != null || ignoreNotFound != null) {
            deleteStep(appName, appId, fromPr, ignoreNotFound);
        }
        if (appName != null) {
            if (specLocation != null) {
                throw new InputException("app-name", "Inputs 'app_name' and 'app_spec_location' are both set. "
                        + ANCHOR + " ignores app_spec_location when app_name is set and deploys the app's current "
                        + "spec; do-deploy would deploy the file to that app instead, so it does not guess. Write\n"
                        + "  app-name: " + appName + "\nto deploy the app's current spec (what app_action did), or\n"
                        + "  app-name: " + appName + "\n  app-spec: " + specLocation
                        + "\nto deploy the file to that app (its name must be " + appName + ").");
            }
            b.appName(honour("app_name", "app-name", appName, b.appName()));
        }
        if (specLocation != null) {
            b.specFile("app_spec_location", honour("app_spec_location", "app-spec", specLocation, b.specValue()));
        }
        if (projectId != null) b.projectId(honour("project_id", "project-id", projectId, b.projectId()));
        if (printBuild != null) b.buildLogs(logPolicy("print_build_logs", "print-build-logs", printBuild, b.buildLogs()));
        if (printDeploy != null) {
            b.deployLogs(logPolicy("print_deploy_logs", "print-deploy-logs", printDeploy, b.deployLogs()));
        }
        if (prPreview != null) {
            boolean v = goBool("deploy_pr_preview", "preview", prPreview);
            if (b.preview() && !v) throw conflict("deploy_pr_preview", "preview", prPreview, "true");
            honour("deploy_pr_preview", "preview", String.valueOf(v), "");
            b.preview(v);
        }
    }

    /**
     * app_action's {@code delete} action: with {@code from_pr_preview: true} it deletes the pull request's preview
     * app, which do-deploy's {@code operation: delete-preview} does; by id or name it deletes any app, which
     * do-deploy does not (it would deploy that app instead, the opposite).
     */
    private void deleteStep(String appName, String appId, String fromPr, String ignoreNotFound) {
        boolean preview = fromPr != null && goBool("from_pr_preview", "operation", fromPr);
        if (!preview) {
            String key = appId != null ? "app_id" : fromPr != null ? "from_pr_preview" : "ignore_not_found";
            throw new InputException("operation", "Input '" + key + "' belongs to " + ANCHOR + "/delete, which deletes "
                    + (appId != null ? "app " + appId : appName != null ? "app " + appName : "an app") + ". do-deploy "
                    + "deletes only pull request preview apps, and given an app it deploys it, the opposite. To delete "
                    + "the preview app of a pull request, write\n  operation: delete-preview\n"
                    + (appId != null ? "To deploy app " + appId + " instead, write\n  app-id: " + appId + "\n" : "")
                    + "To delete another app, use doctl apps delete.");
        }
        if (appId != null) {
            throw new InputException("operation", "Input 'app_id' with from_pr_preview: " + ANCHOR + "/delete would "
                    + "delete app " + appId + " (app_id comes first); do-deploy deletes only the pull request's preview "
                    + "app. Leave app_id out:\n  operation: delete-preview");
        }
        if (b.operation() != Settings.Operation.DELETE_PREVIEW) {
            honour("from_pr_preview", "operation", "delete-preview", "");
            b.operation("delete-preview");
        }
        boolean ignore = ignoreNotFound != null && goBool("ignore_not_found", "operation", ignoreNotFound);
        if (!ignore) {
            log.info("A missing preview app fails the step, as in " + ANCHOR + "/delete without ignore_not_found: true"
                    + " (do-deploy's own default reports it as result not-found)");
        }
        b.missingPreviewFails(!ignore);
    }

    /** The value of an honoured input, after a warning that shows the line to write; a conflict stops the step. */
    private String honour(String anchorName, String gantryName, String value, String gantryValue) {
        if (!gantryValue.isEmpty() && !gantryValue.equals(value)) throw conflict(anchorName, gantryName, value, gantryValue);
        log.warning("Input '" + anchorName + "' is " + ANCHOR + "'s name; do-deploy honours it as " + gantryName
                + " (same meaning). Write it as\n  " + gantryName + ": " + value);
        return value;
    }

    private LogPolicy logPolicy(String anchorName, String gantryName, String value, LogPolicy current) {
        LogPolicy p = goBool(anchorName, gantryName, value) ? LogPolicy.ALWAYS : LogPolicy.NEVER;
        String written = p == LogPolicy.ALWAYS ? "always" : "never";
        if (current != LogPolicy.ON_FAILURE && current != p) {
            throw conflict(anchorName, gantryName, value, current.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        honour(anchorName, gantryName, written, "");
        return p;
    }

    private static boolean goBool(String anchorName, String gantryName, String value) {
        if (GO_TRUE.contains(value)) return true;
        if (GO_FALSE.contains(value)) return false;
        throw new InputException(gantryName, "Input '" + anchorName + "' (" + ANCHOR + "'s name, read as a Go "
                + "boolean) must be true or false; got '" + value + "'. do-deploy's input is " + gantryName + ".");
    }

    private static InputException conflict(String anchorName, String gantryName, String value, String gantryValue) {
        return new InputException(gantryName, "Inputs '" + anchorName + "' (" + ANCHOR + "'s name for "
                + gantryName + ") and '" + gantryName + "' disagree: '" + value + "' and '" + gantryValue
                + "'. Keep one:\n  " + gantryName + ": " + gantryValue);
    }

    private InputException unknownInput(String name) {
        String dashed = name.replace('_', '-');
        String hint = declared.contains(dashed) ? " Did you mean '" + dashed + "'? Write\n  " + dashed + ": "
                + given.get(name.toUpperCase(Locale.ROOT)) : "";
        return new InputException(name, "Input '" + name + "' is not an input of do-deploy: the runner passed it "
                + "from with: (and warned), but do-deploy would ignore it." + hint + "\nInputs: "
                + String.join(", ", declared) + ".");
    }

    private String take(String key) {
        return given.remove(key);
    }

    /** {@code IMAGE_TAG_*} and {@code IMAGE_DIGEST_*} variables of the step's environment, non-empty ones. */
    static Map<String, String> imageVariables(Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String k = e.getKey();
            if ((k.startsWith("IMAGE_TAG_") || k.startsWith("IMAGE_DIGEST_")) && e.getValue() != null
                    && !e.getValue().isBlank()) {
                out.put(k, e.getValue().trim());
            }
        }
        return out;
    }
}
