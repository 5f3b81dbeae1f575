package dev.gantry.actiontests.harness;

import dev.gantry.common.testing.WorkflowCommands;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionMetadata;
import dev.gantry.common.action.ActionRunner;
import dev.gantry.common.action.Inputs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs an action's flow the way the runner runs its container: reads the module's {@code action.yml}, applies
 * its defaults (evaluating {@code ${{ github.token }}}), passes every declared input as {@code INPUT_*} (missing
 * ones as empty strings), sets the {@code GITHUB_*}/{@code RUNNER_*} variables, creates the file-command files,
 * the event payload and a workspace, and reads the results back with the runner's rules.
 *
 * <p>It runs in this JVM (the action's {@code Main.run}); the container tests run the real image with the same
 * environment.
 */
public final class ActionRun {
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([^}]*?)\\s*}}");

    private final String action;
    private final ActionMetadata metadata;
    private final Map<String, String> with = new LinkedHashMap<>();
    private final Map<String, String> unexpected = new LinkedHashMap<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Path dir;
    private Path workspace;
    private String event = "{}";
    private String githubToken = "ghs_simulatedGitHubToken0000000000000";
    private dev.gantry.common.http.Time time = dev.gantry.common.http.Time.SYSTEM;

    private ActionRun(String action) {
        this.action = action;
        try {
            this.metadata = ActionMetadata.parse(Files.readAllBytes(Project.actionDir(action).resolve("action.yml")));
            this.dir = Files.createTempDirectory("gantry-run-" + action + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.workspace = dir.resolve("workspace");
        env.put("GITHUB_ACTIONS", "true");
        env.put("CI", "true");
        env.put("GITHUB_REPOSITORY", "acme/shop");
        env.put("GITHUB_REPOSITORY_OWNER", "acme");
        env.put("GITHUB_SHA", "4f2c9a1e5b7d3c8f0a6e2d4b1c9f7e5a3d1b8c6e");
        env.put("GITHUB_REF", "refs/heads/main");
        env.put("GITHUB_REF_NAME", "main");
        env.put("GITHUB_EVENT_NAME", "push");
        env.put("GITHUB_RUN_ID", "1234567890");
        env.put("GITHUB_RUN_NUMBER", "42");
        env.put("GITHUB_RUN_ATTEMPT", "1");
        env.put("GITHUB_ACTOR", "octocat");
        env.put("GITHUB_WORKFLOW", "release");
        env.put("GITHUB_JOB", "deploy");
        env.put("GITHUB_SERVER_URL", "https://github.com");
        env.put("GITHUB_API_URL", "https://api.github.com");
        env.put("GITHUB_ACTION", "__gantry_" + action.replace('-', '_'));
        env.put("RUNNER_OS", "Linux");
        env.put("RUNNER_ARCH", "X64");
        env.put("HOME", dir.resolve("home").toString());
    }

    public static ActionRun of(String action) {
        return new ActionRun(action);
    }

    /** A {@code with:} entry of the step. */
    public ActionRun with(String input, String value) {
        with.put(input, value);
        return this;
    }

    /**
     * A {@code with:} key that action.yml does not declare, passed as the runner passes it: as {@code INPUT_<KEY>}
     * (upper case) like any other, after a warning "Unexpected input(s)". {@link #with} refuses such keys, to
     * catch typos in tests; this is for tests of what an action does with them (a step written for another action).
     */
    public ActionRun unexpected(String input, String value) {
        if (metadata.inputs().containsKey(input)) {
            throw new IllegalArgumentException("'" + input + "' is declared in action.yml: use with()");
        }
        unexpected.put(input, value);
        return this;
    }

    /**
     * Every key of a step's {@code with:}, declared or not, as the runner passes them ({@link #with} or
     * {@link #unexpected}).
     */
    public ActionRun withStep(Map<String, String> stepWith) {
        stepWith.forEach((k, v) -> {
            if (metadata.inputs().containsKey(k)) with(k, v);
            else unexpected(k, v);
        });
        return this;
    }

    /** A variable of the step's environment ({@code env:}, or what the runner sets). */
    public ActionRun env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** The event payload and name ({@code pull_request}, {@code push}, {@code workflow_dispatch}, ...). */
    public ActionRun event(String eventName, String payloadJson) {
        env.put("GITHUB_EVENT_NAME", eventName);
        this.event = payloadJson;
        return this;
    }

    /** A pull_request event for PR {@code number} with head commit {@code headSha} and branch {@code headRef}. */
    public ActionRun pullRequest(int number, String headSha, String headRef) {
        Map<String, Object> pr = Map.of("number", number, "head", Map.of("sha", headSha, "ref", headRef),
                "labels", java.util.List.of());
        try {
            event("pull_request", new ObjectMapper().writeValueAsString(Map.of("number", number, "pull_request", pr)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        env.put("GITHUB_REF", "refs/pull/" + number + "/merge");
        env.put("GITHUB_HEAD_REF", headRef);
        return this;
    }

    /** The value {@code ${{ github.token }}} evaluates to. */
    public ActionRun githubToken(String token) {
        this.githubToken = token;
        return this;
    }

    /** Points the action's GitHub calls at a simulator ({@code GITHUB_API_URL}). */
    public ActionRun githubApi(java.net.URI apiRoot) {
        env.put("GITHUB_API_URL", apiRoot.toString());
        return this;
    }

    /**
     * Points the action's GitHub calls at a {@link dev.gantry.actiontests.github.GitHubSimulator}: its API root
     * ({@code GITHUB_API_URL}, with {@code /api/v3} for a GHES simulator), server and repository. The token
     * {@code ${{ github.token }}} evaluates to ({@link #githubToken}) is one the simulator accepts by default.
     */
    public ActionRun gitHub(dev.gantry.actiontests.github.GitHubSimulator sim) {
        env.put("GITHUB_API_URL", sim.apiUrl().toString());
        env.put("GITHUB_SERVER_URL", sim.serverUrl());
        env.put("GITHUB_REPOSITORY", sim.repository().fullName());
        env.put("GITHUB_REPOSITORY_OWNER", sim.repository().owner());
        return this;
    }

    /**
     * The clock and sleep the action runs on (the only seam besides the API base URL). {@link #virtualTime()}
     * gives one whose pauses take no real time: polls and retry backoffs are instant, deadlines still hold.
     */
    public ActionRun time(dev.gantry.common.http.Time t) {
        this.time = t;
        return this;
    }

    /** Runs on a virtual clock that moves only when the action pauses (see {@link #time}). */
    public ActionRun virtualTime() {
        return time(new dev.gantry.common.testing.FakeTime().time());
    }

    public ActionRun debug() {
        env.put("RUNNER_DEBUG", "1");
        return this;
    }

    public Path workspace() {
        try {
            Files.createDirectories(workspace);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return workspace;
    }

    public ActionRun workspace(Path ws) {
        this.workspace = ws;
        return this;
    }

    /** The environment the runner would give the container, file-command files created. */
    public Map<String, String> environment() {
        try {
            Path fc = Files.createDirectories(dir.resolve("file_commands"));
            Path wf = Files.createDirectories(dir.resolve("workflow"));
            Files.createDirectories(dir.resolve("home"));
            Files.createDirectories(dir.resolve("runner_temp"));
            workspace();
            Path eventFile = wf.resolve("event.json");
            Files.writeString(eventFile, event);
            Map<String, String> e = new LinkedHashMap<>(env);
            String guid = UUID.randomUUID().toString();
            for (String[] f : new String[][]{{"GITHUB_OUTPUT", "set_output_"}, {"GITHUB_ENV", "set_env_"},
                    {"GITHUB_PATH", "add_path_"}, {"GITHUB_STATE", "save_state_"}, {"GITHUB_STEP_SUMMARY", "step_summary_"}}) {
                Path p = fc.resolve(f[1] + guid);
                Files.writeString(p, "");
                e.put(f[0], p.toString());
            }
            e.put("GITHUB_EVENT_PATH", eventFile.toString());
            e.put("GITHUB_WORKSPACE", workspace.toString());
            e.put("RUNNER_TEMP", dir.resolve("runner_temp").toString());
            for (ActionMetadata.InputSpec in : metadata.inputs().values()) {
                String v = with.containsKey(in.name()) ? with.get(in.name())
                        : in.defaultValue() == null ? "" : evaluate(in.defaultValue());
                e.put(Inputs.variableName(in.name()), v);
            }
            unexpected.forEach((k, v) -> e.put(Inputs.variableName(k), v));
            for (String k : with.keySet()) {
                if (!metadata.inputs().containsKey(k)) {
                    throw new IllegalArgumentException("Unexpected input '" + k + "': action.yml of " + action
                            + " declares " + metadata.inputs().keySet());
                }
            }
            return e;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private String evaluate(String text) {
        Matcher m = EXPRESSION.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String expr = m.group(1);
            String value = switch (expr) {
                case "github.token" -> githubToken;
                case "github.workspace" -> workspace.toString();
                case "github.repository" -> env.get("GITHUB_REPOSITORY");
                case "github.sha" -> env.get("GITHUB_SHA");
                default -> throw new IllegalArgumentException("the harness cannot evaluate ${{ " + expr + " }}");
            };
            m.appendReplacement(b, Matcher.quoteReplacement(value));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** Runs the action in this JVM and reads back what it left. */
    public ActionResult run() {
        Map<String, String> e = environment();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            ActionRunner.Action flow = entryPoint();
            code = ActionRunner.run(metadata, flow, new String[0], e, out, time);
        }
        return collect(code, buf.toString(StandardCharsets.UTF_8), e);
    }

    /** Reads the file commands and the log back with the runner's rules. */
    public static ActionResult collect(int code, String log, Map<String, String> e) {
        try {
            return new ActionResult(code,
                    RunnerFiles.parseKeyValues(Files.readString(Path.of(e.get("GITHUB_OUTPUT")))),
                    RunnerFiles.parseKeyValues(Files.readString(Path.of(e.get("GITHUB_ENV")))),
                    RunnerFiles.parseKeyValues(Files.readString(Path.of(e.get("GITHUB_STATE")))),
                    Files.readString(Path.of(e.get("GITHUB_STEP_SUMMARY"))),
                    log, WorkflowCommands.parse(log));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private ActionRunner.Action entryPoint() {
        try {
            Class<?> main = Class.forName("dev.gantry." + Project.ACTIONS.get(action) + ".Main");
            Method run = main.getMethod("run", ActionContext.class);
            return ctx -> {
                try {
                    run.invoke(null, ctx);
                } catch (InvocationTargetException ite) {
                    if (ite.getCause() instanceof Exception ex) throw ex;
                    throw (Error) ite.getCause();
                }
            };
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException("no Main.run(ActionContext) for " + action, ex);
        }
    }

    public String action() {
        return action;
    }

    public ActionMetadata metadata() {
        return metadata;
    }

    /** The per-run folder (file commands, workflow, home, runner temp). */
    public Path runDir() {
        return dir;
    }
}
