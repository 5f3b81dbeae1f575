package dev.gantry.verceldeploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionException;
import dev.gantry.common.action.ExitCode;
import dev.gantry.common.action.InputException;
import dev.gantry.common.action.Log;
import dev.gantry.common.github.GitHubReporter;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.vercel.CreateDeployment;
import dev.gantry.common.vercel.Deployment;
import dev.gantry.common.vercel.DeploymentFile;
import dev.gantry.common.vercel.DeploymentWaiter;
import dev.gantry.common.vercel.FileHasher;
import dev.gantry.common.vercel.FileTree;
import dev.gantry.common.vercel.Project;
import dev.gantry.common.vercel.SourceFile;
import dev.gantry.common.vercel.TgzArchive;
import dev.gantry.common.vercel.Uploader;
import dev.gantry.common.vercel.VercelClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.gantry.common.http.Time;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * One deploy: project → files → hashes → create (upload what is missing, at most 3 rounds) → wait → aliases →
 * outputs, step summary, PR comment and GitHub deployment record. Whatever happens, the summary and the comment
 * say how far it got.
 */
final class DeployFlow {
    static final int MAX_CREATE_ROUNDS = 3;
    static final long INLINE_MAX_BYTES = 5L * 1024 * 1024;
    static final int INLINE_MAX_FILES = 10;

    private final ActionContext ctx;
    private final DeployConfig cfg;
    private final VercelClient vercel;
    private final GitHubReporter github;
    private final Time clock;
    private final Log log;
    private final Report report;
    private volatile Path archiveDir;

    DeployFlow(ActionContext ctx, DeployConfig cfg, VercelClient vercel, GitHubReporter github) {
        this.ctx = ctx;
        this.cfg = cfg;
        this.vercel = vercel;
        this.github = github;
        this.clock = ctx.time();
        this.log = ctx.log();
        this.report = new Report(cfg, ctx.github());
    }

    void run() {
        Instant start = clock.now();
        Instant deadline = start.plus(cfg.timeout());
        Optional<GitHubReporter.DeploymentRecord> record = Optional.empty();
        try {
            Project project = project();
            report.projectName = project.name();
            if (cfg.production() && project.production() != null) {
                report.previousProduction = project.production().id();
                ctx.setOutput("previous-production-deployment-id", report.previousProduction);
            }
            List<SourceFile> files = collect();
            // with tgz only the archive's parts are uploaded (and hashed, as they are written)
            List<TgzArchive.Part> parts = cfg.tgz() ? archive(files) : null;
            FileHasher.Hashed hashed = cfg.tgz() ? null : hash(files, FileHasher.defaultThreads());
            Deployment created = create(project, files, hashed, parts);
            report.deployment = created;
            ctx.setOutput("deployment-id", created.id());
            ctx.setOutput("deployment-url", created.httpsUrl());
            if (created.inspectorUrl() != null) ctx.setOutput("inspect-url", created.inspectorUrl());
            log.info("Deployment " + created.id() + " created: " + created.httpsUrl()
                    + (created.inspectorUrl() == null ? "" : " (inspect: " + created.inspectorUrl() + ")"));
            record = githubRecord(created);
            comment("building");

            Instant waitStart = clock.now();
            Duration left = Duration.between(waitStart, deadline);
            DeploymentWaiter.Outcome outcome;
            try {
                if (left.isNegative() || left.isZero()) {
                    cancelAfterTimeout(created.id());
                    throw timeoutBeforeWait();
                }
                outcome = log.group("Build log and status of " + created.id(),
                        () -> new DeploymentWaiter(vercel, log, true).await(created.id(), left));
            } catch (DeploymentWaiter.DeploymentFailed f) {
                report.buildLog = f.outcome().buildLog();
                report.deployment = f.outcome().deployment();
                report.buildTime = Duration.between(waitStart, clock.now());
                if ("timeout".equals(f.result())) cancelAfterTimeout(created.id());
                throw f;
            }
            report.buildTime = Duration.between(waitStart, clock.now());
            report.buildLog = outcome.buildLog();
            report.deployment = outcome.deployment();

            for (String alias : cfg.aliases()) {
                VercelClient.AliasResult a = vercel.assignAlias(created.id(), alias);
                report.aliases.add(alias);
                log.info(a.alreadyAssigned() ? "alias " + alias + " already points at " + created.id()
                        : "aliased https://" + alias + (a.previousDeploymentId() == null ? "" : " (was " + a.previousDeploymentId() + ")"));
            }
            String preview = cfg.aliases().isEmpty() ? outcome.deployment().httpsUrl() : "https://" + cfg.aliases().get(0);
            report.previewUrl = preview;
            ctx.setOutput("preview-url", preview);
            ctx.setOutput("ready-state", outcome.deployment().readyState());
            report.verdict = Report.Verdict.READY;
            report.total = Duration.between(start, clock.now());
            record.ifPresent(r -> github.setStatus(r, GitHubReporter.DeploymentState.SUCCESS, preview,
                    "Vercel " + cfg.environment() + " ready"));
            comment("ready");
            ctx.result("success");
            log.info("Deployed " + project.name() + " to " + cfg.environment() + ": " + preview);
        } catch (RuntimeException e) {
            // also unexpected failures (an unreadable file, say): the record and the comment must not stay "building"
            boolean timeout = e instanceof ActionException ae && "timeout".equals(ae.result());
            report.verdict = timeout ? Report.Verdict.TIMEOUT : Report.Verdict.FAILED;
            report.error = e.getMessage();
            report.total = Duration.between(start, clock.now());
            if (report.deployment != null && report.deployment.readyState() != null) {
                ctx.setOutput("ready-state", report.deployment.readyState());
            }
            if (report.deployment != null) {
                GitHubReporter.DeploymentState state = e instanceof ActionException ae && ae.exitCode() == ExitCode.FAILED
                        ? GitHubReporter.DeploymentState.FAILURE : GitHubReporter.DeploymentState.ERROR;
                record.ifPresent(r -> github.setStatus(r, state, null, "Vercel " + cfg.environment() + " "
                        + report.verdict.word));
                comment(report.verdict == Report.Verdict.TIMEOUT ? "timeout" : "failed");
            }
            throw e;
        } finally {
            deleteArchive();
            report.writeSummary(ctx.summary());
            report.notice(ctx.notice());
        }
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

    private Project project() {
        try {
            Project p = vercel.project(cfg.projectId());
            if (p.name() == null || p.id() == null) {
                throw new ProviderException(VercelClient.PROVIDER, 200, null, "project answer has no id or name",
                        null, "GET /v9/projects/{idOrName}", null);
            }
            return p;
        } catch (ProviderException e) {
            if (e.status() == 404) {
                throw InputException.invalid("vercel-project-id", "names no project visible to this token"
                        + (cfg.teamId() == null ? " (personal account; set vercel-org-id for a team project)"
                        : " in team " + cfg.teamId()) + ": " + e.getMessage());
            }
            throw e;
        }
    }

    private List<SourceFile> collect() {
        FileTree.Collected tree;
        Instant t = clock.now();
        try {
            tree = FileTree.collect(cfg.directory(), cfg.prebuilt(), cfg.includeEnvFiles());
        } catch (FileTree.TreeException e) {
            throw InputException.invalid(cfg.prebuilt() && e.getMessage().startsWith("no ") ? "prebuilt" : "working-directory",
                    e.getMessage());
        }
        if (!tree.envFilesExcluded().isEmpty()) {
            log.warning("Not uploading " + String.join(", ", tree.envFilesExcluded())
                    + ": .env files usually hold secrets (the Vercel CLI would upload them). Use the env/build-env "
                    + "inputs, or set include-env-files: true to upload them anyway.");
            report.envExcluded = tree.envFilesExcluded();
        }
        if (tree.files().isEmpty()) {
            throw InputException.invalid(cfg.prebuilt() ? "prebuilt" : "working-directory",
                    "has no files to deploy in " + cfg.directory() + (tree.ignoreFile() == null ? "" : " (after " + tree.ignoreFile() + ")"));
        }
        if (cfg.prebuilt()) checkBuildTarget();
        report.filesCollected = tree.files().size();
        report.bytesCollected = tree.totalBytes();
        log.info("Collected " + tree.files().size() + " files (" + Uploader.human(tree.totalBytes()) + ") in "
                + Duration.between(t, clock.now()).toMillis() + " ms from "
                + cfg.directory() + (cfg.prebuilt() ? " (prebuilt .vercel/output)" : "")
                + (tree.ignoreFile() == null ? "" : ", with " + tree.ignoreFile()));
        return tree.files();
    }

    /** {@code vercel deploy --prebuilt} refuses an output built for another target; so do we. */
    private void checkBuildTarget() {
        Path builds = cfg.directory().resolve(FileTree.OUTPUT_DIR).resolve("builds.json");
        if (!Files.isRegularFile(builds) || cfg.customEnvironment() != null) return;
        try {
            JsonNode n = HttpApi.JSON.readTree(builds.toFile());
            String built = n.path("target").asText("");
            String want = cfg.production() ? "production" : "preview";
            if (!built.isEmpty() && !built.equals(want)) {
                throw InputException.invalid("prebuilt", ".vercel/output was built for " + built + " but this deploy targets "
                        + want + ": run `vercel build" + (cfg.production() ? " --prod" : "") + "` for " + want);
            }
        } catch (IOException e) {
            throw InputException.invalid("prebuilt", "cannot read " + builds + ": " + e.getMessage());
        }
    }

    private List<TgzArchive.Part> archive(List<SourceFile> files) {
        Path dir = ctx.tempDir().resolve("vercel-archive-" + UUID.randomUUID());
        archiveDir = dir;
        Instant t = clock.now();
        List<TgzArchive.Part> parts = TgzArchive.write(files, dir);
        report.archiveTime = Duration.between(t, clock.now());
        return parts;
    }

    private FileHasher.Hashed hash(List<SourceFile> files, int threads) {
        Instant t = clock.now();
        FileHasher.Hashed h = FileHasher.hash(files, threads, null);
        report.hashTime = Duration.between(t, clock.now());
        report.distinct = h.blobs().size();
        report.duplicates = h.duplicates();
        log.info("Hashed " + files.size() + " files on " + threads + " threads in " + report.hashTime.toMillis()
                + " ms: " + h.blobs().size() + " distinct contents, " + h.duplicates() + " duplicates");
        return h;
    }

    private Deployment create(Project project, List<SourceFile> sources, FileHasher.Hashed hashed,
                              List<TgzArchive.Part> parts) {
        Map<String, Uploader.Upload> uploadsBySha = new LinkedHashMap<>();
        List<DeploymentFile> files = new ArrayList<>();
        if (hashed != null && inline(hashed)) {
            report.mode = "inline";
            for (FileHasher.HashedFile f : hashed.files()) {
                files.add(DeploymentFile.inline(f.source().name(), base64(f.source().path())));
            }
        } else if (cfg.tgz()) {
            report.mode = "tgz";
            log.info("Archived " + sources.size() + " files into " + parts.size() + " tgz part(s), "
                    + Uploader.human(parts.stream().mapToLong(TgzArchive.Part::size).sum()) + " in "
                    + report.archiveTime.toMillis() + " ms");
            for (TgzArchive.Part p : parts) {
                files.add(DeploymentFile.uploaded(p.name(), p.sha(), p.size(), TgzArchive.PART_MODE));
                uploadsBySha.put(p.sha(), new Uploader.Upload(p.sha(), p.size(), p.path(), null, p.name()));
            }
        } else {
            report.mode = "files";
            for (FileHasher.HashedFile f : hashed.files()) {
                files.add(DeploymentFile.uploaded(f.source().name(), f.sha(), f.source().size(), f.source().mode()));
            }
            hashed.blobs().values().forEach(b -> uploadsBySha.put(b.sha(), Uploader.Upload.of(b)));
        }
        CreateDeployment body = new CreateDeployment(project.name(), project.id(),
                cfg.production() ? "production" : null, cfg.customEnvironment(), files,
                GitMeta.meta(ctx.github(), UUID.randomUUID().toString()), GitMeta.gitMetadata(ctx.github()),
                cfg.env().isEmpty() ? null : cfg.env(),
                cfg.buildEnv().isEmpty() ? null : new CreateDeployment.Build(cfg.buildEnv()));
        Instant uploadStart = null;
        Duration uploading = Duration.ZERO;
        for (int round = 1; ; round++) {
            report.createRounds = round;
            VercelClient.CreateResult r = vercel.createDeployment(body, cfg.force(), cfg.prebuilt());
            if (r instanceof VercelClient.Created c) {
                report.uploadTime = uploading;
                return c.deployment();
            }
            List<String> missing = ((VercelClient.MissingFiles) r).missing();
            if (round >= MAX_CREATE_ROUNDS) {
                throw new ProviderException(VercelClient.PROVIDER, 400, "missing_files", "Vercel still reports "
                        + missing.size() + " missing file(s) after " + MAX_CREATE_ROUNDS + " upload rounds",
                        null, "POST /v13/deployments", null);
            }
            List<Uploader.Upload> uploads = new ArrayList<>();
            for (String sha : missing) {
                Uploader.Upload u = uploadsBySha.get(sha.toLowerCase(Locale.ROOT));
                if (u == null) {
                    throw new ProviderException(VercelClient.PROVIDER, 400, "missing_files",
                            "Vercel asks for a file this deploy does not contain (sha " + sha + ")", null,
                            "POST /v13/deployments", null);
                }
                uploads.add(u);
            }
            long bytes = uploads.stream().mapToLong(Uploader.Upload::size).sum();
            log.info("Vercel is missing " + uploads.size() + " of " + uploadsBySha.size() + " distinct files ("
                    + Uploader.human(bytes) + "); uploading " + cfg.uploadConcurrency() + " at a time");
            uploadStart = clock.now();
            Uploader.Result res = vercel.uploader(cfg.uploadConcurrency()).upload(uploads);
            uploading = uploading.plus(Duration.between(uploadStart, clock.now()));
            report.uploadedFiles += res.files();
            report.uploadedBytes += res.bytes();
            report.uploadRetries += res.retries();
        }
    }

    /** The CLI's inline path: a few small static pages go in the create body itself. */
    private boolean inline(FileHasher.Hashed hashed) {
        if (cfg.prebuilt() || cfg.tgz() || hashed.files().size() > INLINE_MAX_FILES) return false;
        long total = 0;
        for (FileHasher.HashedFile f : hashed.files()) {
            String n = f.source().name().toLowerCase(Locale.ROOT);
            if (f.source().isSymlink() || !(n.endsWith(".html") || n.endsWith(".htm") || n.endsWith(".md"))) return false;
            total += f.source().size();
        }
        return total <= INLINE_MAX_BYTES;
    }

    private static String base64(Path p) {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(p));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<GitHubReporter.DeploymentRecord> githubRecord(Deployment d) {
        if (!cfg.githubDeployment()) return Optional.empty();
        String env = cfg.githubEnvironment() != null ? cfg.githubEnvironment() : cfg.environment();
        Optional<GitHubReporter.DeploymentRecord> r = github.createDeployment(new GitHubReporter.DeploymentRequest(
                env, null, "Vercel " + cfg.environment() + " deploy of " + report.projectName,
                !cfg.production(), cfg.production(), "vercel", d.id()));
        r.ifPresent(rec -> github.setStatus(rec, GitHubReporter.DeploymentState.IN_PROGRESS, null,
                "Vercel is building " + d.id()));
        return r;
    }

    private void comment(String phase) {
        if (!cfg.commentEnabled()) return;
        github.stickyComment("vercel-deploy:" + report.projectName + ":" + cfg.environment(), report.comment(phase))
                .ifPresent(url -> report.commentUrl = url);
    }

    private ActionException timeoutBeforeWait() {
        return new ActionException(ExitCode.FAILED, "Timed out after " + cfg.timeout().toSeconds()
                + "s before the deployment could be awaited (hashing and uploading took the whole timeout input)",
                "timeout", null, null);
    }

    private void cancelAfterTimeout(String id) {
        try {
            vercel.cancel(id);
            log.warning("Canceled deployment " + id + " so that it cannot go live after this step gave up.");
            report.canceled = true;
        } catch (ProviderException e) {
            log.warning("Could not cancel deployment " + id + " after the timeout: " + e.getMessage());
        }
    }
}
