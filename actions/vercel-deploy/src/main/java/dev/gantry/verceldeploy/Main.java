package dev.gantry.verceldeploy;

import dev.gantry.common.action.ActionContext;
import dev.gantry.common.action.ActionRunner;
import dev.gantry.common.action.InputException;
import dev.gantry.common.github.GitHubReporter;
import dev.gantry.common.github.GitHubReporters;
import dev.gantry.common.http.BaseUrl;
import dev.gantry.common.http.Deadline;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.http.ProviderException;
import dev.gantry.common.http.WarmUp;
import dev.gantry.common.slack.SlackNotifier;
import dev.gantry.common.vercel.VercelApi;
import dev.gantry.common.vercel.VercelClient;

import java.time.Duration;

/** The vercel-deploy action: API-native Vercel deploys (no CLI, no Node). Inputs → settings → flow. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        WarmUp.start(); // TLS and Jackson set-up on a spare core while the inputs are read
        ActionRunner.main(Main.class, Main::run, args);
    }

    public static void run(ActionContext ctx) {
        SlackNotifier.forStep(ctx); // first: a later input error is told too
        Settings s = SettingsReader.read(ctx);
        Deadline deadline = ctx.deadline("timeout", s.api().timeout());
        HttpApi http = HttpApi.builder(VercelClient.PROVIDER)
                .baseUrl(BaseUrl.check("api-url", s.api().url()))
                .token(s.api().token())
                .log(ctx.log())
                .requestIdHeader("x-vercel-id")
                .deadline(deadline)
                .requestTimeout(Duration.ofMinutes(2))
                .build();
        VercelClient vercel = new VercelClient(http, teamId(s, http));
        Settings.Reporting r = s.reporting();
        // a production deploy's record is production under whatever name github-deployment-environment gives it
        String productionEnvironment = s.request().production() && r.githubEnvironment() != null ? r.githubEnvironment()
                : GitHubReporters.PRODUCTION;
        GitHubReporter github = GitHubReporters.forStep(ctx, GitHubReporters.Settings.of(ctx.github(), r.githubToken(),
                r.commentEnabled() || r.githubDeployment()).withProductionEnvironment(productionEnvironment), deadline);
        new DeployFlow(ctx, s, vercel, github).run();
    }

    /** {@code vercel-org-id}, or the team amondnet's {@code scope} (a team id or slug, as the CLI's --scope) names. */
    static String teamId(Settings s, HttpApi http) {
        String scope = s.api().scope();
        if (scope == null || scope.startsWith("team_")) return scope != null ? scope : s.api().teamId();
        VercelApi.Team team;
        try {
            team = http.client(VercelApi.class).getTeam(scope);
        } catch (ProviderException e) {
            throw InputException.invalid("scope", "names no team this token can see (" + e.getMessage() + "); write the "
                    + "team's id instead:\n    vercel-org-id: team_...  # Team Settings → General → Team ID");
        }
        if (s.api().teamId() != null && !s.api().teamId().equals(team.id())) {
            throw InputException.invalid("scope", "is team " + scope + " (" + team.id() + ") but vercel-org-id is "
                    + s.api().teamId() + ": keep one");
        }
        http.log().info("scope " + scope + " is team " + team.id());
        return team.id();
    }
}
