package dev.gantry.actiontests.github;

import dev.gantry.common.testing.WorkflowCommands;
import dev.gantry.common.action.Log;
import dev.gantry.common.github.GitHubReporter;
import dev.gantry.common.github.GitHubReporters;
import dev.gantry.common.http.RetryPolicy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** One action run's GitHub reporter against a simulator, with its log captured and waits recorded, not slept. */
final class ReporterRun {
    static final String SHA = "4f2c9a1e5b7d3c8f0a6e2d4b1c9f7e5a3d1b8c6e";
    static final String HEAD = "9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d";
    static final String RUN_URL = "https://github.com/acme/shop/actions/runs/1234567890";

    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final Log log;
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();
    final GitHubReporter reporter;

    ReporterRun(GitHubSimulator sim, String token, Integer pullRequest) {
        this(new GitHubReporters.Settings(token, sim.apiUrl().toString(), sim.repository().fullName(), pullRequest,
                pullRequest == null ? SHA : HEAD, SHA, RUN_URL, true));
    }

    ReporterRun(GitHubReporters.Settings settings) {
        this(settings, false);
    }

    ReporterRun(GitHubReporters.Settings settings, boolean debug) {
        this.log = new Log(new PrintStream(out, true, StandardCharsets.UTF_8), debug);
        this.reporter = GitHubReporters.create(settings, log,
                dev.gantry.common.http.Deadline.none(new dev.gantry.common.http.Time(java.time.Clock.systemUTC(), sleeps::add)));
    }

    static ReporterRun onPullRequest(GitHubSimulator sim, int number) {
        return new ReporterRun(sim, GitHubSimulator.DEFAULT_TOKEN, number);
    }

    static ReporterRun onPush(GitHubSimulator sim) {
        return new ReporterRun(sim, GitHubSimulator.DEFAULT_TOKEN, null);
    }

    String log() {
        return out.toString(StandardCharsets.UTF_8);
    }

    WorkflowCommands.Parsed commands() {
        return WorkflowCommands.parse(log());
    }

    List<String> warnings() {
        return commands().named("warning").stream().map(WorkflowCommands.Command::data).toList();
    }
}
