package dev.gantry.verceldeploy;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Log;
import dev.gantry.common.github.GitHubReporter;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.http.Time;
import dev.gantry.common.vercel.CreateDeployment;
import dev.gantry.common.vercel.Deployment;
import dev.gantry.common.vercel.DeploymentWaiter;
import dev.gantry.common.vercel.FileHasher;
import dev.gantry.common.vercel.FileTree;
import dev.gantry.common.vercel.Project;
import dev.gantry.common.vercel.SourceFile;
import dev.gantry.common.vercel.Uploader;
import dev.gantry.common.vercel.VercelClient;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One deploy: project → what to send (Root Directory, files, vercel.json) → create (uploading what is missing) →
 * wait → aliases → production (served, or staged behind an instant rollback and promoted only when asked) →
 * outputs, step summary, PR comment and GitHub deployment record. Whatever happens, the summary and the comment say
 * how far it got.
 */
final class DeployFlow {
    private final ActionContext ctx;
    private final Settings s;
    private final VercelClient vercel;
    private final GitHubReporter github;
    private final Time clock;
    private final Log log;
    private final Report report;
    private Path archiveDir;
    private Optional<GitHubReporter.DeploymentRecord> record = Optional.empty();

    DeployFlow(ActionContext ctx, Settings s, VercelClient vercel, GitHubReporter github) {
        this.ctx = ctx;
        this.s = s;
        this.vercel = vercel;
        this.github = github;
        this.clock = ctx.time();
        this.log = ctx.log();
        this.report = new Report(s, ctx.github());
    }

    void run() {
        Instant start = clock.now();
        try {
            Project project = project();
            DeployRoot root = DeployRoot.of(s, project, dashboard(project));
            List<SourceFile> entries = collect(root);
            LocalConfig config = LocalConfig.read(root.root(), project);
            config.warnings().forEach(log::warning);
            Payload payload = payload(entries);
            Deployment created = create(project, config, payload);
            DeploymentWaiter.Outcome outcome = await(created);
            assignAliases(created);
            new Production(ctx, s, vercel, report).settle(project, outcome.deployment());
            finish(outcome.deployment());
        } catch (RuntimeException e) {
            failed(e);
            throw e;
        } finally {
            report.total = Duration.between(start, clock.now());
            deleteArchive();
            report.writeSummary(ctx.summary());
            report.notice(ctx.notice());
        }
    }

    private Project project() {
        Project p;
        try {
            p = vercel.project(s.api().projectId());
        } catch (ProviderException e) {
            if (e.status() != 404) throw e;
            throw InputException.invalid("vercel-project-id", "names no project visible to this token"
                    + (vercel.teamId() == null ? " (personal account; set vercel-org-id for a team project)"
                    : " in team " + vercel.teamId()) + ": " + e.getMessage());
        }
        if (p.name() == null || p.id() == null) {
            throw new ProviderException(VercelClient.PROVIDER, 200, null, "project answer has no id or name", null,
                    "GET /v9/projects/{idOrName}", null);
        }
        report.projectName = s.reporting().projectName() != null ? s.reporting().projectName() : p.name();
        ctx.setOutput("preview-name", report.projectName);
        if (s.request().production() && p.production() != null) {
            report.previousProduction = p.production().id();
            ctx.setOutput("previous-production-deployment-id", report.previousProduction);
        }
        return p;
    }

    private String dashboard(Project p) {
        return "https://vercel.com/" + (vercel.teamId() == null ? "dashboard" : vercel.teamId()) + "/" + p.name() + "/settings";
    }

    private List<SourceFile> collect(DeployRoot root) {
        Instant t = clock.now();
        String output = s.source().prebuilt() ? root.outputDir() : null;
        FileTree.Collected tree;
        try {
            tree = FileTree.collect(root.root(), output, s.source().includeEnvFiles());
        } catch (FileTree.TreeException e) {
            throw InputException.invalid(output != null ? "prebuilt" : "working-directory", e.getMessage());
        }
        if (!tree.envFilesExcluded().isEmpty()) {
            log.warning("Not uploading " + String.join(", ", tree.envFilesExcluded()) + ": .env files usually hold "
                    + "secrets (the Vercel CLI would upload them). Use the env/build-env inputs, or set "
                    + "include-env-files: true to upload them anyway. Templates (.env.example, .env.sample, "
                    + ".env.template) are uploaded.");
            report.envExcluded = tree.envFilesExcluded();
        }
        if (tree.files().stream().allMatch(SourceFile::isDirectory)) {
            throw InputException.invalid(output != null ? "prebuilt" : "working-directory", "has no files to deploy in "
                    + s.source().workingDirectory() + (tree.ignoreFile() == null ? "" : " (after " + tree.ignoreFile() + ")"));
        }
        if (output != null) checkBuildTarget(root.root().resolve(output));
        report.filesCollected = tree.files().size();
        report.bytesCollected = tree.totalBytes();
        log.info("Collected " + tree.files().size() + " entries (" + Uploader.human(tree.totalBytes()) + ") in "
                + Duration.between(t, clock.now()).toMillis() + " ms from " + s.source().workingDirectory()
                + (output != null ? " (prebuilt " + output + ")" : "")
                + (root.rootDirectory() == null ? "" : ", Root Directory " + root.rootDirectory())
                + (tree.ignoreFile() == null ? "" : ", with " + tree.ignoreFile()));
        return tree.files();
    }

    /** {@code vercel deploy --prebuilt} refuses an output built for another target; so do we. */
    private void checkBuildTarget(Path output) {
        Path builds = output.resolve("builds.json");
        if (!Files.isRegularFile(builds) || s.request().customEnvironment() != null) return;
        String built;
        try {
            built = HttpApi.JSON.readTree(builds.toFile()).path("target").asText("");
        } catch (IOException e) {
            throw InputException.invalid("prebuilt", "cannot read " + builds.getFileName() + ": " + e.getMessage());
        }
        String want = s.request().production() ? "production" : "preview";
        if (!built.isEmpty() && !built.equals(want)) {
            throw InputException.invalid("prebuilt", ".vercel/output was built for " + built + " but this deploy targets "
                    + want + ": run `vercel build" + (s.request().production() ? " --prod" : "") + "` for " + want);
        }
    }

    private Payload payload(List<SourceFile> entries) {
        Instant t = clock.now();
        if (s.source().tgz()) {
            archiveDir = ctx.tempDir().resolve("vercel-archive-" + UUID.randomUUID());
            List<TgzArchive.Part> parts = TgzArchive.write(entries, archiveDir);
            report.archiveTime = Duration.between(t, clock.now());
            log.info("Archived " + entries.size() + " entries into " + parts.size() + " tgz part(s), "
                    + Uploader.human(parts.stream().mapToLong(TgzArchive.Part::size).sum()) + " in "
                    + report.archiveTime.toMillis() + " ms");
            report.mode = "tgz";
            return Payload.archive(parts);
        }
        int threads = FileHasher.defaultThreads();
        FileHasher.Hashed h = FileHasher.hash(entries, threads, null);
        report.hashTime = Duration.between(t, clock.now());
        report.distinct = h.blobs().size();
        report.duplicates = h.duplicates();
        log.info("Hashed " + h.files().size() + " files on " + threads + " threads in " + report.hashTime.toMillis()
                + " ms: " + h.blobs().size() + " distinct contents, " + h.duplicates() + " duplicates");
        Payload p = Payload.hashed(entries, h, s.source().prebuilt());
        report.mode = p.mode();
        return p;
    }

    private Deployment create(Project project, LocalConfig config, Payload payload) {
        Settings.Request r = s.request();
        Map<String, String> env = new LinkedHashMap<>(config.env());
        env.putAll(r.env());
        Map<String, String> buildEnv = new LinkedHashMap<>(config.buildEnv());
        buildEnv.putAll(r.buildEnv());
        Map<String, String> meta = new LinkedHashMap<>(config.meta());
        meta.putAll(GitMeta.meta(ctx.github(), UUID.randomUUID().toString()));
        meta.putAll(r.meta());
        CreateDeployment body = new CreateDeployment(project.name(), project.id(), r.production() ? "production" : null,
                r.customEnvironment(), payload.files(), meta, GitMeta.gitMetadata(ctx.github()), env,
                new CreateDeployment.Build(buildEnv), r.regions().isEmpty() ? nullIfEmpty(config.regions()) : r.regions(),
                config.projectSettings(), r.autoAssignCustomDomains(), config.config());
        if (config.file() != null) {
            log.info("Sending " + config.file() + " with the deployment: " + String.join(", ", config.config().keySet()));
        }
        VercelClient.CreateQuery query = new VercelClient.CreateQuery(r.force(), s.source().prebuilt(), r.withCache());
        Deployment created = new CreateRounds(vercel, log, clock, s.api().uploadConcurrency()).run(body, query, payload, report);
        report.deployment = created;
        ctx.setOutput("deployment-id", created.id());
        ctx.setOutput("deployment-url", created.httpsUrl());
        if (created.inspectorUrl() != null) ctx.setOutput("inspect-url", created.inspectorUrl());
        log.info("Deployment " + created.id() + " created: " + created.httpsUrl()
                + (created.inspectorUrl() == null ? "" : " (inspect: " + created.inspectorUrl() + ")"));
        record = githubRecord(created);
        comment("building");
        return created;
    }

    private static List<String> nullIfEmpty(List<String> l) {
        return l.isEmpty() ? null : l;
    }

    private DeploymentWaiter.Outcome await(Deployment created) {
        Instant waitStart = clock.now();
        try {
            DeploymentWaiter.Outcome o = log.group("Build log and status of " + created.id(),
                    () -> new DeploymentWaiter(vercel, log, true).await(created.id(), s.api().timeout()));
            report.buildLog = o.buildLog();
            report.deployment = o.deployment();
            return o;
        } catch (DeploymentWaiter.DeploymentFailed f) {
            report.buildLog = f.outcome().buildLog();
            if (f.outcome().deployment() != null) report.deployment = f.outcome().deployment();
            if ("timeout".equals(f.result())) cancelAfterTimeout(created.id());
            throw f;
        } catch (ActionException e) {
            if ("timeout".equals(e.result())) cancelAfterTimeout(created.id());
            throw e;
        } finally {
            report.buildTime = Duration.between(waitStart, clock.now());
        }
    }

    private void assignAliases(Deployment created) {
        for (String alias : s.publish().aliases()) {
            VercelClient.AliasResult a = vercel.assignAlias(created.id(), alias);
            report.aliases.add(alias);
            log.info(a.alreadyAssigned() ? "alias " + alias + " already points at " + created.id()
                    : "aliased https://" + alias + (a.previousDeploymentId() == null ? "" : " (was " + a.previousDeploymentId() + ")"));
        }
    }

    private void finish(Deployment d) {
        String preview = s.publish().aliases().isEmpty() ? d.httpsUrl() : "https://" + s.publish().aliases().get(0);
        report.previewUrl = preview;
        ctx.setOutput("preview-url", preview);
        ctx.setOutput("ready-state", d.readyState());
        report.verdict = report.staged ? Report.Verdict.STAGED : Report.Verdict.READY;
        record.ifPresent(r -> github.setStatus(r, GitHubReporter.DeploymentState.SUCCESS, preview,
                "Vercel " + s.request().environment() + (report.staged ? " staged" : " ready")));
        comment("ready");
        ctx.result(report.staged ? "staged" : "success");
        log.info((report.staged ? "Staged " : "Deployed ") + report.projectName + " to " + s.request().environment()
                + ": " + preview + (report.staged ? "; production still serves " + report.servingProduction : ""));
    }

    private void failed(RuntimeException e) {
        // also unexpected failures (an unreadable file, say): the record and the comment must not stay "building"
        boolean timeout = e instanceof ActionException ae && "timeout".equals(ae.result());
        report.verdict = timeout ? Report.Verdict.TIMEOUT : Report.Verdict.FAILED;
        report.error = e.getMessage();
        if (report.deployment == null) return;
        if (report.deployment.readyState() != null) ctx.setOutput("ready-state", report.deployment.readyState());
        GitHubReporter.DeploymentState state = e instanceof ActionException ae && ae.exitCode() == ExitCode.FAILED
                ? GitHubReporter.DeploymentState.FAILURE : GitHubReporter.DeploymentState.ERROR;
        record.ifPresent(r -> github.setStatus(r, state, null, "Vercel " + s.request().environment() + " "
                + report.verdict.word));
        comment(timeout ? "timeout" : "failed");
    }

    private void deleteArchive() {
        Path dir = archiveDir;
        if (dir == null || !Files.isDirectory(dir)) return;
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) Files.deleteIfExists(p);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            log.debug("could not remove " + dir + ": " + e.getMessage());
        }
    }

    private Optional<GitHubReporter.DeploymentRecord> githubRecord(Deployment d) {
        if (!s.reporting().githubDeployment()) return Optional.empty();
        String env = s.reporting().githubEnvironment() != null ? s.reporting().githubEnvironment() : s.request().environment();
        boolean prod = s.request().production();
        // Vercel's own targets decide: production is production whatever github-deployment-environment calls it
        // (the gateway marks it so for that name); only a preview is transient, a custom environment is not
        boolean preview = !prod && s.request().customEnvironment() == null;
        Optional<GitHubReporter.DeploymentRecord> r = github.createDeployment(new GitHubReporter.DeploymentRequest(
                env, null, "Vercel " + s.request().environment() + " deploy of " + report.projectName, preview, prod,
                "vercel", d.id()));
        r.ifPresent(rec -> github.setStatus(rec, GitHubReporter.DeploymentState.IN_PROGRESS, null,
                "Vercel is building " + d.id()));
        return r;
    }

    private void comment(String phase) {
        if (!s.reporting().commentEnabled()) return;
        github.stickyComment("vercel-deploy:" + report.projectName + ":" + s.request().environment(), report.comment(phase))
                .ifPresent(url -> report.commentUrl = url);
    }

    /** Stops the deployment the step gave up on, so it cannot go live later; the summary says whether that worked. */
    private void cancelAfterTimeout(String id) {
        try {
            Deployment d = vercel.cancel(id);
            report.cancel = "canceled after the timeout" + (d != null && d.readyState() != null ? " (" + d.readyState() + ")" : "");
            log.warning("Canceled deployment " + id + " so that it cannot go live after this step gave up.");
        } catch (RuntimeException e) {
            report.cancel = "the cancel after the timeout failed: " + e.getMessage() + "; it may still go live";
            log.warning("Could not cancel deployment " + id + " after the timeout: " + e.getMessage());
        }
    }
}
