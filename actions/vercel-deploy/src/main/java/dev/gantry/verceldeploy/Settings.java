package dev.gantry.verceldeploy;

import dev.gantry.common.action.InputException;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one deploy is asked to do, checked when it is built (as Jib's {@code ImageConfiguration}): the required
 * values go to the builder's constructor, every rule between two inputs is checked in {@link Builder#build()}, so a
 * {@code Settings} that exists is one the flow can run.
 *
 * @param api       where and as whom: token, API URL, team, project, the step's timeout, upload concurrency
 * @param source    what is sent: the folder, prebuilt output or source, tgz or per file
 * @param request   what the create call asks for: target, env, regions, meta, flags
 * @param publish   after READY: aliases, and whether a staged production deploy is promoted
 * @param reporting the PR comment, the GitHub deployment record, the name shown
 */
record Settings(Api api, Source source, Request request, Publish publish, Reporting reporting) {

    /** Where and as whom. {@code teamId} null = personal account; {@code scope} a team slug still to look up. */
    record Api(String token, URI url, String teamId, String scope, String projectId, Duration timeout,
               int uploadConcurrency) {
    }

    /**
     * The deploy's folder (inside the workspace) and its path in the workspace as the user wrote it;
     * {@code rootDirectory} the Root Directory amondnet's {@code root-directory} expects (null: take the project's).
     */
    record Source(Path directory, String workingDirectory, boolean prebuilt, boolean tgz, boolean includeEnvFiles,
                  String rootDirectory) {
    }

    /** {@code customEnvironment} null unless a custom environment; {@code autoAssignCustomDomains} null = Vercel's default. */
    record Request(boolean production, String customEnvironment, Map<String, String> env, Map<String, String> buildEnv,
                   List<String> regions, Map<String, String> meta, boolean force, boolean withCache,
                   Boolean autoAssignCustomDomains) {
        /** {@code preview}, {@code production} or the custom environment. */
        String environment() {
            return production ? "production" : customEnvironment != null ? customEnvironment : "preview";
        }
    }

    /** {@code promote}: promote a production deploy that Vercel staged because an instant rollback holds production. */
    record Publish(List<String> aliases, boolean promote) {
    }

    /** {@code comment}: true, false or a template; {@code projectName} overrides the name shown (amondnet's). */
    record Reporting(String comment, boolean githubDeployment, String githubEnvironment, String githubToken,
                     String projectName) {
        boolean commentEnabled() {
            return !comment.equalsIgnoreCase("false");
        }
    }

    static Builder builder(String token, URI apiUrl, String projectId, Path directory) {
        return new Builder(token, apiUrl, projectId, directory);
    }

    /** Collects the inputs; {@link #build()} checks how they go together. */
    static final class Builder {
        private final String token;
        private final URI apiUrl;
        private final String projectId;
        private final Path directory;
        String workingDirectory = ".";
        String teamId;
        String scope;
        Duration timeout = Duration.ofMinutes(20);
        int uploadConcurrency = 0;
        boolean production;
        String target;
        String customEnvironment;
        boolean prebuilt;
        boolean tgz;
        boolean includeEnvFiles;
        String rootDirectory;
        final Map<String, String> env = new LinkedHashMap<>();
        final Map<String, String> buildEnv = new LinkedHashMap<>();
        final List<String> regions = new ArrayList<>();
        final Map<String, String> meta = new LinkedHashMap<>();
        boolean force;
        boolean withCache;
        Boolean autoAssignCustomDomains;
        final List<String> aliases = new ArrayList<>();
        boolean promote;
        String comment = "true";
        boolean githubDeployment;
        String githubEnvironment;
        String githubToken = "";
        String projectName;

        private Builder(String token, URI apiUrl, String projectId, Path directory) {
            this.token = Objects.requireNonNull(token);
            this.apiUrl = Objects.requireNonNull(apiUrl);
            this.projectId = Objects.requireNonNull(projectId);
            this.directory = Objects.requireNonNull(directory);
        }

        /** Adds what amondnet's {@code vercel-args} said; a flag that contradicts a typed input stops here. */
        Builder apply(VercelArgs a) {
            production |= a.production();
            if (a.target() != null) {
                if (target != null && !target.equalsIgnoreCase(a.target())) {
                    throw conflict("target", target, "--target " + a.target());
                }
                target = a.target();
            }
            prebuilt |= a.prebuilt();
            tgz |= a.tgz();
            force |= a.force();
            env.putAll(a.env());
            buildEnv.putAll(a.buildEnv());
            if (!a.regions().isEmpty()) {
                if (!regions.isEmpty() && !regions.equals(a.regions())) {
                    throw conflict("regions", String.join(",", regions), "--regions " + String.join(",", a.regions()));
                }
                regions.clear();
                regions.addAll(a.regions());
            }
            if (a.scope() != null) scope = a.scope();
            meta.putAll(a.meta());
            return this;
        }

        private static InputException conflict(String input, String typed, String flag) {
            return InputException.invalid(input, "is '" + typed + "' but vercel-args says " + flag + ": keep one of them");
        }

        Settings build() {
            String custom = customEnvironment;
            boolean prod = production;
            if (target != null && !target.isBlank()) {
                String t = target.trim();
                if (t.equalsIgnoreCase("production")) {
                    prod = true;
                } else if (!t.equalsIgnoreCase("preview")) {
                    if (custom != null && !custom.equals(t)) {
                        throw InputException.invalid("target", "is '" + t + "' but custom-environment is '" + custom
                                + "': keep one of them (target: " + custom + " does what custom-environment did)");
                    }
                    custom = t;
                }
            }
            if (prod && custom != null) {
                throw InputException.invalid("target", "is '" + custom + "' but prod is true (or vercel-args has --prod): "
                        + "choose one");
            }
            if (promote && !prod) {
                throw InputException.invalid("promote", "is true for a " + (custom != null ? custom : "preview")
                        + " deploy; only production deploys are staged and promoted");
            }
            if (timeout.isZero() || timeout.isNegative()) throw InputException.invalid("timeout", "must be positive");
            if (teamId != null && scope != null && scope.startsWith("team_") && !scope.equals(teamId)) {
                throw InputException.invalid("vercel-org-id", "is " + teamId + " but scope is " + scope + ": keep one");
            }
            String ghEnv = githubEnvironment == null || githubEnvironment.isBlank() ? null : githubEnvironment;
            Request request = new Request(prod, custom, Map.copyOf(env), Map.copyOf(buildEnv), List.copyOf(regions),
                    Map.copyOf(meta), force, withCache, autoAssignCustomDomains);
            return new Settings(
                    new Api(token, apiUrl, teamId, scope, projectId, timeout, uploadConcurrency),
                    new Source(directory, workingDirectory, prebuilt, tgz, includeEnvFiles, rootDirectory),
                    request, new Publish(List.copyOf(aliases), promote),
                    new Reporting(comment.isBlank() ? "true" : comment, githubDeployment, ghEnv, githubToken, projectName));
        }
    }
}
