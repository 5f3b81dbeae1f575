package dev.gantry.verceldeploy;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionRunner;
import dev.gantry.common.action.Inputs;
import dev.gantry.common.github.GitHubReporter;
import dev.gantry.common.github.GitHubReporters;
import dev.gantry.common.http.BaseUrl;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.Deadline;
import dev.gantry.common.http.WarmUp;
import dev.gantry.common.slack.SlackNotifier;
import dev.gantry.common.vercel.VercelClient;

import java.time.Duration;

/** The vercel-deploy action: API-native Vercel deploys (no CLI, no Node). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        WarmUp.start(); // TLS and Jackson set-up on a spare core while the inputs are read
        ActionRunner.main(Main.class, Main::run, args);
    }

    public static void run(ActionContext ctx) {
        SlackNotifier.forStep(ctx); // first: a later input error is told too
        Inputs inputs = ctx.inputs();
        DeployConfig cfg = DeployConfig.read(inputs, ctx.github());
        Deadline deadline = ctx.deadline("timeout", cfg.timeout());
        HttpApi http = HttpApi.builder(VercelClient.PROVIDER)
                .baseUrl(BaseUrl.check("api-url", cfg.apiUrl()))
                .token(cfg.token())
                .log(ctx.log())
                .requestIdHeader("x-vercel-id")
                .deadline(deadline)
                .requestTimeout(Duration.ofMinutes(2))
                .build();
        VercelClient vercel = new VercelClient(http, cfg.teamId());
        boolean reporting = cfg.commentEnabled() || cfg.githubDeployment();
        GitHubReporter github = GitHubReporters.forStep(ctx,
                GitHubReporters.Settings.of(ctx.github(), cfg.githubToken(), reporting), deadline);
        new DeployFlow(ctx, cfg, vercel, github).run();
    }
}
