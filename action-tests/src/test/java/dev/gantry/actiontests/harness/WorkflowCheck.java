package dev.gantry.actiontests.harness;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.common.action.ActionMetadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a workflow uses the Gantry actions, checked against each {@code action.yml}: every {@code with:} key is a
 * declared input, every required input is given, every {@code steps.<id>.outputs.<name>} names a step of the
 * same job and, where that step is a Gantry action, one of its outputs, and no step waits on a failure verdict
 * it can never see (an {@code if:} on {@code steps.<id>.outputs.result == 'fail'} without {@code failure()} or
 * {@code always()}, after a step that has no {@code continue-on-error}: that step's failure skips it).
 *
 * <p>A Gantry step is any way a user can name an action: {@code gantry-actions/gantry/actions/<name>@<ref>}
 * (the monorepo), {@code gantry-actions/<name>@<ref>} (the action's own repository, its Marketplace listing) or
 * {@code docker://ghcr.io/gantry-actions/gantry/<name>...} (the image itself).
 */
public final class WorkflowCheck {
    private static final Pattern GANTRY = Pattern.compile(
            "(?:gantry-actions/gantry/actions/([a-z][a-z0-9-]*)@.+"
                    + "|gantry-actions/(?!gantry/)([a-z][a-z0-9-]*)@.+"
                    + "|docker://ghcr\\.io/gantry-actions/gantry/([a-z][a-z0-9-]*)[:@].+)");
    private static final Pattern STEP_OUTPUT = Pattern.compile("steps\\.([A-Za-z0-9_-]+)\\.outputs\\.([A-Za-z0-9_-]+)");
    private static final Pattern RESULT_FAILURE = Pattern.compile(
            "steps\\.([A-Za-z0-9_-]+)\\.outputs\\.result\\s*==\\s*'(fail|failure|error|timeout)'");
    private static final Pattern STATUS_FUNCTION = Pattern.compile("\\b(failure|always|cancelled)\\s*\\(");

    /**
     * Inputs an action honours without declaring them: the names of the step it replaces
     * ({@code digitalocean/app_action}, {@code amondnet/vercel-action}), which the runner passes with a warning
     * and the action reads (do-deploy's and vercel-deploy's {@code AnchorInputs}).
     */
    private static final Map<String, Set<String>> ANCHOR_INPUTS = Map.of(
            "do-deploy", Set.of("app_name", "app_spec_location", "project_id", "print_build_logs", "print_deploy_logs",
                    "deploy_pr_preview", "app_id", "from_pr_preview", "ignore_not_found"),
            "vercel-deploy", Set.of("vercel-args", "scope", "vercel-project-name", "vercel-output-dir",
                    "root-directory", "custom-environment", "public", "experimental-api"));

    /** What the check found: how many Gantry steps it looked at, and every problem, with where it is. */
    public record Result(int gantrySteps, List<String> problems) {
    }

    private WorkflowCheck() {
    }

    /** The Gantry action a {@code uses:} value names, if it names one. */
    public static Optional<String> gantryAction(String uses) {
        Matcher m = GANTRY.matcher(uses);
        if (!m.matches()) return Optional.empty();
        return Optional.of(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
    }

    public static Result check(JsonNode workflow) {
        List<String> problems = new ArrayList<>();
        int gantrySteps = 0;
        for (Iterator<Map.Entry<String, JsonNode>> jobs = workflow.path("jobs").fields(); jobs.hasNext(); ) {
            Map.Entry<String, JsonNode> job = jobs.next();
            Map<String, JsonNode> stepsById = new HashMap<>();
            Map<String, ActionMetadata> actionsById = new HashMap<>();
            for (JsonNode step : job.getValue().path("steps")) {
                if (step.has("id")) stepsById.put(step.path("id").asText(), step);
                Optional<String> action = gantryAction(step.path("uses").asText(""));
                if (action.isEmpty()) continue;
                gantrySteps++;
                String where = job.getKey() + " › " + step.path("name").asText(step.path("id").asText(action.get()));
                ActionMetadata meta = metadata(action.get()).orElse(null);
                if (meta == null) {
                    problems.add(where + ": there is no Gantry action '" + action.get() + "' (uses: " + step.path("uses").asText() + ")");
                    continue;
                }
                for (Iterator<String> keys = step.path("with").fieldNames(); keys.hasNext(); ) {
                    String k = keys.next();
                    if (!meta.inputs().containsKey(k) && !ANCHOR_INPUTS.getOrDefault(action.get(), Set.of()).contains(k)) problems.add(where + ": input '" + k + "' is not in " + action.get() + "/action.yml");
                }
                meta.inputs().values().stream().filter(ActionMetadata.InputSpec::required)
                        .filter(in -> !step.path("with").has(in.name()))
                        .forEach(in -> problems.add(where + ": required input '" + in.name() + "' missing"));
                if (step.has("id")) actionsById.put(step.path("id").asText(), meta);
            }
            Matcher refs = STEP_OUTPUT.matcher(job.getValue().toString());
            while (refs.find()) {
                String id = refs.group(1);
                if (!stepsById.containsKey(id)) {
                    problems.add(job.getKey() + ": steps." + id + ".outputs." + refs.group(2) + " names no step of this job"
                            + " (a step with id: " + id + ")");
                    continue;
                }
                ActionMetadata meta = actionsById.get(id);
                if (meta != null && !meta.outputs().containsKey(refs.group(2))) {
                    problems.add(job.getKey() + ": steps." + id + ".outputs." + refs.group(2) + " is not an output of "
                            + meta.name());
                }
            }
            for (JsonNode step : job.getValue().path("steps")) {
                String condition = step.path("if").asText("");
                Matcher f = RESULT_FAILURE.matcher(condition);
                if (!f.find() || STATUS_FUNCTION.matcher(condition).find()) continue;
                JsonNode failing = stepsById.get(f.group(1));
                if (failing != null && !failing.path("continue-on-error").asText("false").equals("true")) {
                    problems.add(job.getKey() + ": the step with if: " + condition + " never runs: when " + f.group(1)
                            + " fails, the job skips every later step whose if: has no failure() or always()"
                            + " (add failure() &&, or continue-on-error: true on " + f.group(1) + ")");
                }
            }
            rollbackOnlyOnFail(job.getKey(), job.getValue(), problems);
        }
        return new Result(gantrySteps, problems);
    }

    /**
     * A rollback step after a smoke test in the same job runs on the smoke test's {@code fail} only: a bare
     * {@code failure()} (or {@code always()}) would also roll back a healthy release whose smoke test was
     * {@code inconclusive} (a busy runner) or {@code invalid-input}.
     */
    private static void rollbackOnlyOnFail(String job, JsonNode jobNode, List<String> problems) {
        List<String> smokeIds = new ArrayList<>();
        for (JsonNode step : jobNode.path("steps")) {
            Optional<String> action = gantryAction(step.path("uses").asText(""));
            if (action.filter("smoke-test"::equals).isPresent() && step.has("id")) smokeIds.add(step.path("id").asText());
            if (action.filter("rollback"::equals).isEmpty() || smokeIds.isEmpty()) continue;
            String condition = step.path("if").asText("");
            if (!STATUS_FUNCTION.matcher(condition).find()) continue;
            boolean testsResult = smokeIds.stream().anyMatch(id -> condition.matches(
                    "(?s).*steps\\." + Pattern.quote(id) + "\\.outputs\\.result\\s*==\\s*'fail'.*"));
            if (!testsResult) {
                problems.add(job + ": the rollback with if: " + condition + " also runs when the smoke test is inconclusive"
                        + " or its input is invalid (a healthy release); test steps." + smokeIds.get(smokeIds.size() - 1)
                        + ".outputs.result == 'fail' as well");
            }
        }
    }

    public static Optional<ActionMetadata> metadata(String action) {
        java.nio.file.Path yml = Project.actionDir(action).resolve("action.yml");
        if (!Files.isRegularFile(yml)) return Optional.empty();
        try {
            return Optional.of(ActionMetadata.parse(Files.readAllBytes(yml)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
