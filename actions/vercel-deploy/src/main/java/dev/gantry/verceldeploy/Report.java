package dev.gantry.verceldeploy;

import dev.gantry.common.action.GitHubContext;
import dev.gantry.common.action.Summary;
import dev.gantry.common.vercel.Deployment;
import dev.gantry.common.vercel.Uploader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What one deploy did, rendered as the step summary and the PR comment. */
final class Report {
    enum Verdict {
        READY("ready", "✅"), FAILED("failed", "❌"), TIMEOUT("timed out", "⏱️"), UNFINISHED("did not finish", "❌");

        final String word;
        final String icon;

        Verdict(String word, String icon) {
            this.word = word;
            this.icon = icon;
        }
    }

    private final DeployConfig cfg;
    private final GitHubContext gh;
    Verdict verdict = Verdict.UNFINISHED;
    String projectName;
    String previousProduction;
    Deployment deployment;
    String previewUrl;
    String error;
    String mode = "files";
    String commentUrl;
    boolean canceled;
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

    Report(DeployConfig cfg, GitHubContext gh) {
        this.cfg = cfg;
        this.gh = gh;
    }

    void writeSummary(Summary s) {
        String name = projectName == null ? cfg.projectId() : projectName;
        String line = verdict.icon + " **Vercel " + cfg.environment() + " deploy of " + name + " " + verdict.word + "**";
        if (verdict == Verdict.READY) line += ": " + previewUrl;
        s.raw(line);
        if (error != null) s.raw("> " + Summary.inline(error));
        List<List<String>> rows = new ArrayList<>();
        if (deployment != null) {
            rows.add(List.of("Deployment", deployment.id()));
            rows.add(List.of("URL", String.valueOf(deployment.httpsUrl())));
            if (deployment.inspectorUrl() != null) rows.add(List.of("Inspect", deployment.inspectorUrl()));
            rows.add(List.of("State", String.valueOf(deployment.readyState())
                    + (deployment.errorCode() != null ? " (" + deployment.errorCode() + ")" : "")
                    + (canceled ? ", canceled after the timeout" : "")));
        }
        if (!aliases.isEmpty()) rows.add(List.of("Aliases", String.join(", ", aliases)));
        if (previousProduction != null) rows.add(List.of("Previous production", previousProduction));
        rows.add(List.of("Commit", short7(gh.headSha())));
        rows.add(List.of("Files", filesCollected + " (" + Uploader.human(bytesCollected) + "), "
                + ("tgz".equals(mode) ? "sent as one archive" : distinct + " distinct, " + duplicates + " duplicates")));
        rows.add(List.of("Uploaded", uploadedFiles + " files, " + Uploader.human(uploadedBytes) + " (" + mode
                + (uploadRetries > 0 ? ", " + uploadRetries + " retries" : "") + ", " + createRounds + " create call"
                + (createRounds == 1 ? "" : "s") + ")"));
        rows.add(List.of("Timings", (archiveTime == null ? "hash " + ms(hashTime) : "archive " + ms(archiveTime))
                + ", upload " + ms(uploadTime) + ", build " + ms(buildTime)
                + ", total " + ms(total)));
        s.table(List.of("", ""), rows);
        if (!envExcluded.isEmpty()) {
            s.details(".env files not uploaded (" + envExcluded.size() + ")",
                    String.join("\n", envExcluded.stream().map(f -> "- `" + f.replace("`", "") + "`").toList())
                            + "\n\nSet `include-env-files: true` to upload them.");
        }
        if (!buildLog.isEmpty()) {
            StringBuilder b = new StringBuilder();
            int from = Math.max(0, buildLog.size() - 100);
            for (String l : buildLog.subList(from, buildLog.size())) b.append(l).append('\n');
            String fence = "```";
            while (b.indexOf(fence) >= 0) fence += "`";
            s.details("Build log (last " + (buildLog.size() - from) + " lines)", fence + "\n" + b + fence);
        }
    }

    /** The sticky PR comment for a phase: building, ready, failed or timeout. */
    String comment(String phase) {
        String url = previewUrl != null ? previewUrl : deployment == null ? "" : deployment.httpsUrl();
        String custom = cfg.comment();
        if (!custom.equalsIgnoreCase("true") && phase.equals("ready")) {
            return custom.replace("{{deploymentUrl}}", url)
                    .replace("{{deploymentCommit}}", gh.headSha())
                    .replace("{{deploymentName}}", projectName == null ? "" : projectName);
        }
        String status = switch (phase) {
            case "building" -> "⏳ Building";
            case "ready" -> "✅ Ready";
            case "timeout" -> "⏱️ Timed out";
            default -> "❌ Failed";
        };
        StringBuilder b = new StringBuilder();
        b.append("**Vercel ").append(cfg.environment()).append(" deploy of _").append(projectName).append("_**\n\n");
        b.append("| | |\n| --- | --- |\n");
        b.append("| Status | ").append(status).append(" |\n");
        if (phase.equals("ready")) {
            b.append("| Preview | ").append(url).append(" |\n");
        } else if (!url.isEmpty()) {
            b.append("| Deployment | ").append(url).append(" |\n");
        }
        for (String a : aliases) b.append("| Alias | https://").append(a).append(" |\n");
        b.append("| Commit | `").append(short7(gh.headSha())).append("` |\n");
        if (deployment != null && deployment.inspectorUrl() != null) {
            b.append("| Inspect | [").append(deployment.id()).append("](").append(deployment.inspectorUrl()).append(") |\n");
        }
        if (!gh.runUrl().isEmpty()) b.append("\n[Workflow run](").append(gh.runUrl()).append(")\n");
        return b.toString();
    }

    private static String short7(String sha) {
        return sha == null || sha.length() < 7 ? String.valueOf(sha) : sha.substring(0, 7);
    }

    private static String ms(Duration d) {
        long ms = d.toMillis();
        return ms < 10_000 ? ms + " ms" : String.format("%.1f s", ms / 1000.0);
    }
}
