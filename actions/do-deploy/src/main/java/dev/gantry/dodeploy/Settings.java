package dev.gantry.dodeploy;

import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Workspace;
import dev.gantry.common.digitalocean.AppSpec;
import dev.gantry.common.digitalocean.DeploymentWatcher.LogPolicy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the step asks for, checked as a whole. Built by {@link Builder} (required values in its constructor,
 * each input's own checks in its setter, the rules between inputs in {@link Builder#build()}), after which it
 * holds only combinations that make sense, so the flow never checks its inputs again.
 */
final class Settings {
    /** Where the spec file is when no input names one and no existing app is named. */
    static final String DEFAULT_SPEC = ".do/app.yaml";

    enum Operation { DEPLOY, DELETE_PREVIEW }

    private final String token;
    private final URI apiUrl;
    private final Operation operation;
    private final Path specFile;
    private final String specShown;
    private final String specInput;
    private final String appName;
    private final String appId;
    private final String projectId;
    private final Map<String, AppSpec.ImageRef> images;
    private final Map<String, String> imageEnv;
    private final Map<String, String> envs;
    private final boolean waitForIt;
    private final Duration timeout;
    private final boolean forceBuild;
    private final LogPolicy buildLogs;
    private final LogPolicy deployLogs;
    private final boolean preview;
    private final boolean dryRun;
    private final boolean missingPreviewFails;
    private final String githubToken;
    private final boolean githubDeployment;
    private final String environment;
    private final String productionEnvironment;

    private Settings(Builder b, Path specFile) {
        this.token = b.token;
        this.apiUrl = b.apiUrl;
        this.operation = b.operation;
        this.specFile = specFile;
        this.specShown = b.specValue.isEmpty() ? DEFAULT_SPEC : b.specValue;
        this.specInput = b.specInput;
        this.appName = b.appName;
        this.appId = b.appId;
        this.projectId = b.projectId;
        this.images = Map.copyOf(b.images);
        this.imageEnv = Map.copyOf(b.imageEnv);
        this.envs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.envs));
        this.waitForIt = b.waitForIt;
        this.timeout = b.timeout;
        this.forceBuild = b.forceBuild;
        this.buildLogs = b.buildLogs;
        this.deployLogs = b.deployLogs;
        this.preview = b.preview;
        this.dryRun = b.dryRun;
        this.missingPreviewFails = b.missingPreviewFails;
        this.githubToken = b.githubToken;
        this.githubDeployment = b.githubDeployment;
        this.environment = b.environment;
        this.productionEnvironment = b.productionEnvironment;
    }

    static Builder builder(String token, URI apiUrl, Path workspace) {
        return new Builder(token, apiUrl, workspace);
    }

    String token() { return token; }

    URI apiUrl() { return apiUrl; }

    Operation operation() { return operation; }

    /** The spec file to read, inside the workspace; null: the named app's current spec. */
    Path specFile() { return specFile; }

    /** The spec file as the step wrote it (for messages). */
    String specShown() { return specShown; }

    /** The input the spec file came from ({@code app-spec}, or app_action's {@code app_spec_location}). */
    String specInput() { return specInput; }

    String appName() { return appName; }

    String appId() { return appId; }

    String projectId() { return projectId; }

    Map<String, AppSpec.ImageRef> images() { return images; }

    /** app_action v2's {@code IMAGE_TAG_<COMPONENT>} / {@code IMAGE_DIGEST_<COMPONENT>} variables of the step. */
    Map<String, String> imageEnv() { return imageEnv; }

    Map<String, String> envs() { return envs; }

    boolean waitForIt() { return waitForIt; }

    Duration timeout() { return timeout; }

    boolean forceBuild() { return forceBuild; }

    LogPolicy buildLogs() { return buildLogs; }

    LogPolicy deployLogs() { return deployLogs; }

    boolean preview() { return preview; }

    boolean dryRun() { return dryRun; }

    /** app_action delete's {@code ignore_not_found: false}: a missing preview app fails the step. */
    boolean missingPreviewFails() { return missingPreviewFails; }

    String githubToken() { return githubToken; }

    boolean githubDeployment() { return githubDeployment; }

    String environment() { return environment; }

    /** The GitHub environment whose records say {@code production_environment: true}. */
    String productionEnvironment() { return productionEnvironment; }

    /** The input that named the app: app-id, app-name or the spec file's. */
    String appInput() {
        return !appId.isEmpty() ? "app-id" : !appName.isEmpty() ? "app-name" : specInput;
    }

    static final class Builder {
        private final String token;
        private final URI apiUrl;
        private final Path workspace;
        private Operation operation = Operation.DEPLOY;
        private String specValue = "";
        private String specInput = "app-spec";
        private String appName = "";
        private String appId = "";
        private String projectId = "";
        private Map<String, AppSpec.ImageRef> images = Map.of();
        private Map<String, String> imageEnv = Map.of();
        private Map<String, String> envs = Map.of();
        private boolean waitForIt = true;
        private Duration timeout = Duration.ofMinutes(30);
        private boolean forceBuild;
        private LogPolicy buildLogs = LogPolicy.ON_FAILURE;
        private LogPolicy deployLogs = LogPolicy.ON_FAILURE;
        private boolean preview;
        private boolean dryRun;
        private boolean missingPreviewFails;
        private String githubToken = "";
        private boolean githubDeployment = true;
        private String environment = "";
        private String productionEnvironment = "";
        private OptionalInt pullRequest = OptionalInt.empty();
        private String eventName = "";

        private Builder(String token, URI apiUrl, Path workspace) {
            this.token = Objects.requireNonNull(token);
            this.apiUrl = Objects.requireNonNull(apiUrl);
            this.workspace = Objects.requireNonNull(workspace);
        }

        Builder operation(String op) {
            this.operation = op.equals("delete-preview") ? Operation.DELETE_PREVIEW : Operation.DEPLOY;
            return this;
        }

        Operation operation() {
            return operation;
        }

        /** The spec file as written in {@code input} (relative to the workspace); empty: none given. */
        Builder specFile(String input, String value) {
            this.specInput = input;
            this.specValue = value;
            return this;
        }

        String specValue() {
            return specValue;
        }

        Builder appName(String v) {
            this.appName = v;
            return this;
        }

        String appName() {
            return appName;
        }

        Builder appId(String v) {
            this.appId = v;
            return this;
        }

        Builder projectId(String v) {
            this.projectId = v;
            return this;
        }

        String projectId() {
            return projectId;
        }

        Builder images(Map<String, AppSpec.ImageRef> v) {
            this.images = v;
            return this;
        }

        Builder imageEnv(Map<String, String> v) {
            this.imageEnv = v;
            return this;
        }

        Builder envs(Map<String, String> v) {
            for (String key : v.keySet()) {
                if (!AppSpec.ENV_KEY.matcher(key).matches()) {
                    throw InputException.invalid("envs", "has an invalid key '" + key + "' (App Platform env keys "
                            + "match " + AppSpec.ENV_KEY.pattern() + ")");
                }
            }
            this.envs = v;
            return this;
        }

        Builder waitForIt(boolean v) {
            this.waitForIt = v;
            return this;
        }

        Builder timeout(Duration v) {
            if (v.isZero() || v.isNegative()) throw InputException.invalid("timeout", "must be longer than 0");
            this.timeout = v;
            return this;
        }

        Builder forceBuild(boolean v) {
            this.forceBuild = v;
            return this;
        }

        Builder buildLogs(LogPolicy v) {
            this.buildLogs = v;
            return this;
        }

        LogPolicy buildLogs() {
            return buildLogs;
        }

        Builder deployLogs(LogPolicy v) {
            this.deployLogs = v;
            return this;
        }

        LogPolicy deployLogs() {
            return deployLogs;
        }

        Builder preview(boolean v) {
            this.preview = v;
            return this;
        }

        boolean preview() {
            return preview;
        }

        Builder dryRun(boolean v) {
            this.dryRun = v;
            return this;
        }

        Builder missingPreviewFails(boolean v) {
            this.missingPreviewFails = v;
            return this;
        }

        Builder github(String token, boolean deployment, String environment, String productionEnvironment) {
            this.githubToken = token;
            this.githubDeployment = deployment;
            this.environment = environment;
            this.productionEnvironment = productionEnvironment;
            return this;
        }

        /** The run's pull request (previews are named after it) and event name (for the message without one). */
        Builder event(OptionalInt pullRequest, String eventName) {
            this.pullRequest = pullRequest;
            this.eventName = eventName == null ? "" : eventName;
            return this;
        }

        /** The settings, once every rule between the inputs holds. */
        Settings build() {
            boolean previewApp = preview || operation == Operation.DELETE_PREVIEW;
            if (!appName.isEmpty() && !appId.isEmpty()) {
                throw InputException.invalid("app-id", "and app-name are both set; set one of them");
            }
            if (previewApp && !appId.isEmpty()) {
                throw InputException.invalid("app-id", "cannot be used with preview apps (their name comes from the "
                        + "pull request)");
            }
            if (previewApp && pullRequest.isEmpty()) {
                throw InputException.invalid(preview ? "preview" : "operation", "needs a pull_request event to name the "
                        + "preview app (this run's event is '" + eventName + "')");
            }
            if (dryRun && operation == Operation.DELETE_PREVIEW) {
                throw InputException.invalid("dry-run", "applies to deploys only (operation is delete-preview)");
            }
            if (missingPreviewFails && operation != Operation.DELETE_PREVIEW) {
                throw new IllegalStateException("missingPreviewFails without delete-preview");
            }
            Path spec = null;
            if (!specValue.isEmpty()) {
                spec = Workspace.resolve(workspace, specInput, specValue);
            } else if (appName.isEmpty() && appId.isEmpty()) {
                spec = Workspace.resolve(workspace, specInput, DEFAULT_SPEC);
            }
            return new Settings(this, spec);
        }
    }
}
