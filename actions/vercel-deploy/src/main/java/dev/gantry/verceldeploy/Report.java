package dev.gantry.verceldeploy;

import dev.gantry.common.action.GitHubContext;
import dev.gantry.common.action.Durations;
import dev.gantry.common.action.Markdown;
import dev.gantry.common.action.Notice;
import dev.gantry.common.action.Summary;
import dev.gantry.common.vercel.Deployment;
import dev.gantry.common.vercel.Uploader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What one deploy did, rendered as the step summary and the PR comment. */
final class Report {
    enum Verdict {
        READY("ready", "✅"), STAGED("staged, not served", "⚠️"), FAILED("failed", "❌"), TIMEOUT("timed out", "⏱️"),
        UNFINISHED("did not finish", "❌");

        final String word;
        final String icon;

        Verdict(String word, String icon) {
            this.word = word;
            this.icon = icon;
        }
    }

    private final Settings cfg;
    private final GitHubContext gh;
    Verdict verdict = Verdict.UNFINISHED;
    String projectName;
    String previousProduction;
    Deployment deployment;
    String previewUrl;
    String error;
    String mode = "files";
    String commentUrl;
    /** What became of the deployment after a timeout: canceled, or why not (null: no timeout). */
    String cancel;
    boolean staged;
    boolean promoted;
    String servingProduction;
    int peakConcurrency;
    int filesCollected;
    long bytesCollected;
    int distinct;
    int duplicates;
    int uploadedFiles;
    long uploadedBytes;
    int uploadRetries;
    int createRounds;
    Duration hashTime = Duration.ZERO;
    Duration uploadTime = Duration.ZERO;
    Duration archiveTime = null;
    Duration buildTime = Duration.ZERO;
    Duration total = Duration.ZERO;
    List<String> buildLog = List.of();
    List<String> envExcluded = List.of();
    final List<String> aliases = new ArrayList<>();

    Report(Settings cfg, GitHubContext gh) {
        this.cfg = cfg;
        this.gh = gh;
    }

    void writeSummary(Summary s) {
        String name = projectName == null ? cfg.api().projectId() : projectName;
        Markdown line = Markdown.format("%s **Vercel %s deploy of %s %s**", verdict.icon, cfg.request().environment(), name, verdict.word);
        if (verdict == Verdict.READY || verdict == Verdict.STAGED) line = line.append(": ").append(Markdown.link(previewUrl));
        s.markdown(line);
        if (verdict == Verdict.STAGED) {
            s.markdown(Markdown.format("> An instant rollback holds production on %s, so Vercel staged this deployment "
                    + "instead of serving it. Promote it with `promote: true`, `vercel promote`, or rollback's `undo: true`.",
                    Markdown.code(String.valueOf(servingProduction))));
        }
        if (error != null) s.markdown(Markdown.format("> %s", error));
        List<List<Object>> rows = new ArrayList<>();
        if (deployment != null) {
            rows.add(List.of("Deployment", Markdown.code(deployment.id())));
            rows.add(List.of("URL", Markdown.link(String.valueOf(deployment.httpsUrl()))));
            if (deployment.inspectorUrl() != null) rows.add(List.of("Inspect", Markdown.link(deployment.inspectorUrl())));
            rows.add(List.of("State", String.valueOf(deployment.readyState())
                    + (deployment.errorCode() != null ? " (" + deployment.errorCode() + ")" : "")
                    + (deployment.readySubstate() != null ? ", " + deployment.readySubstate() : "")));
            if (cancel != null) rows.add(List.of("After the timeout", cancel));
        }
        if (cfg.request().production() && servingProduction != null) {
            rows.add(List.of("Serving production", Markdown.code(servingProduction).append(promoted ? " (promoted by this step)"
                    : staged ? " (held there by an instant rollback)" : "")));
        }
        if (!aliases.isEmpty()) rows.add(List.of("Aliases", String.join(", ", aliases)));
        if (previousProduction != null) rows.add(List.of("Previous production", Markdown.code(previousProduction)));
        rows.add(List.of("Commit", Markdown.code(short7(gh.headSha()))));
        rows.add(List.of("Files", filesCollected + " (" + Uploader.human(bytesCollected) + "), "
                + ("tgz".equals(mode) ? "sent as one archive" : distinct + " distinct, " + duplicates + " duplicates")));
        rows.add(List.of("Uploaded", uploadedFiles + " files, " + Uploader.human(uploadedBytes) + " (" + mode
                + (peakConcurrency > 0 ? ", up to " + peakConcurrency + " at once" : "")
                + (uploadRetries > 0 ? ", " + uploadRetries + " retries" : "") + ", " + createRounds + " create call"
                + (createRounds == 1 ? "" : "s") + ")"));
        rows.add(List.of("Timings", (archiveTime == null ? "hash " + Durations.human(hashTime) : "archive " + Durations.human(archiveTime))
                + ", upload " + Durations.human(uploadTime) + ", build " + Durations.human(buildTime)
                + ", total " + Durations.human(total)));
        s.table(List.of("", ""), rows);
        if (!envExcluded.isEmpty()) {
            Markdown body = Markdown.of("");
            for (String f : envExcluded) body = body.append("- ").append(Markdown.code(f)).append("\n");
            s.details(".env files not uploaded (" + envExcluded.size() + ")",
                    body.append("\nSet `include-env-files: true` to upload them."));
        }
        if (!buildLog.isEmpty()) {
            StringBuilder b = new StringBuilder();
            int from = Math.max(0, buildLog.size() - 100);
            for (String l : buildLog.subList(from, buildLog.size())) b.append(l).append('\n');
            s.details("Build log (last " + (buildLog.size() - from) + " lines)", Markdown.codeBlock(b.toString(), null));
        }
    }

    /**
     * The sticky PR comment for a phase: building, ready, failed or timeout. A custom {@code comment} input is the
     * user's own Markdown; the values put into its placeholders come from Vercel and are escaped.
     */
    Markdown comment(String phase) {
        String url = previewUrl != null ? previewUrl : deployment == null ? "" : deployment.httpsUrl();
        String custom = cfg.reporting().comment();
        if (!custom.equalsIgnoreCase("true") && phase.equals("ready")) {
            // the template is the user's own Markdown (an input of the workflow); only the values are escaped
            return Markdown.of(custom.replace("{{deploymentUrl}}", Markdown.url(url))
                    .replace("{{deploymentCommit}}", Markdown.escape(gh.headSha()))
                    .replace("{{deploymentName}}", Markdown.escape(projectName == null ? "" : projectName)));
        }
        String status = switch (phase) {
            case "building" -> "⏳ Building";
            case "ready" -> staged ? "⚠️ Staged: production still serves the rolled-back deployment" : "✅ Ready";
            case "timeout" -> "⏱️ Timed out";
            default -> "❌ Failed";
        };
        Markdown b = Markdown.format("**Vercel %s deploy of _%s_**\n\n", cfg.request().environment(), projectName);
        b = b.append("| | |\n| --- | --- |\n");
        b = b.append("| Status | " + status + " |\n");
        if (phase.equals("ready")) {
            b = b.append("| Preview | ").append(Markdown.link(url)).append(" |\n");
        } else if (!url.isEmpty()) {
            b = b.append("| Deployment | ").append(Markdown.link(url)).append(" |\n");
        }
        for (String a : aliases) b = b.append("| Alias | ").append(Markdown.link("https://" + a)).append(" |\n");
        b = b.append("| Commit | ").append(Markdown.code(short7(gh.headSha()))).append(" |\n");
        if (deployment != null && deployment.inspectorUrl() != null) {
            b = b.append("| Inspect | ").append(Markdown.link(deployment.inspectorUrl(), deployment.id())).append(" |\n");
        }
        if (!gh.runUrl().isEmpty()) b = b.append("\n").append(Markdown.link(gh.runUrl(), "Workflow run")).append("\n");
        return b;
    }

    /** What the team is told (the Slack message): what went live where, or how far it got. */
    void notice(Notice n) {
        String env = cfg.request().environment();
        String name = projectName == null ? cfg.api().projectId() : projectName;
        boolean production = env.equals("production");
        n.environment(env).subject("Project", name).commit(gh.headSha());
        n.headline(verdict == Verdict.READY ? "Vercel " + env + " deploy of " + name + " is live at " + previewUrl
                : verdict == Verdict.STAGED ? "Vercel " + env + " deploy of " + name + " is ready but staged, not served: "
                + "an instant rollback holds production on " + servingProduction
                : "Vercel " + env + " deploy of " + name + " " + verdict.word);
        if (deployment != null) {
            n.fact("Deployment", deployment.id());
            n.fact("State", String.valueOf(deployment.readyState())
                    + (deployment.errorCode() != null ? " (" + deployment.errorCode() + ")" : "")
                    + (cancel != null ? ", " + cancel : ""));
            n.link("Deployment", deployment.inspectorUrl());
            n.link(production ? "Production URL" : "Preview URL", previewUrl != null ? previewUrl : deployment.httpsUrl());
        }
        if (!aliases.isEmpty()) n.fact("Aliases", String.join(", ", aliases));
        if (previousProduction != null) n.fact("Previous production", previousProduction);
        if (servingProduction != null && !servingProduction.equals(deployment == null ? null : deployment.id())) {
            n.fact("Serving production", servingProduction);
        }
        if (verdict != Verdict.READY && verdict != Verdict.STAGED && !buildLog.isEmpty()) {
            n.items("Build log (last lines)", buildLog.subList(Math.max(0, buildLog.size() - 10), buildLog.size()));
        }
    }

    private static String short7(String sha) {
        return sha == null || sha.length() < 7 ? String.valueOf(sha) : sha.substring(0, 7);
    }
}
