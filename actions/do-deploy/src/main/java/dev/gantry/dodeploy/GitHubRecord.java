package dev.gantry.dodeploy;

import dev.gantry.common.github.GitHubReporter;
import dev.gantry.common.github.GitHubReporter.DeploymentRecord;
import dev.gantry.common.github.GitHubReporter.DeploymentState;

import java.util.Optional;

/**
 * The GitHub deployment record of this deploy, when one was made: it names App Platform's deployment (so rollback
 * can find it again, {@code GitHubReporter.findDeployment}) and follows it to its end.
 */
final class GitHubRecord {
    private final GitHubReporter github;
    private final Optional<DeploymentRecord> record;

    private GitHubRecord(GitHubReporter github, Optional<DeploymentRecord> record) {
        this.github = github;
        this.record = record;
    }

    /** A record for {@code deploymentId} of {@code app} in {@code environment}, already in progress. */
    static GitHubRecord start(GitHubReporter github, String environment, String app, String deploymentId, boolean preview) {
        Optional<DeploymentRecord> r = github.createDeployment(new GitHubReporter.DeploymentRequest(environment, null,
                "App Platform deploy of " + app, preview, !preview, "digitalocean", deploymentId));
        r.ifPresent(d -> github.setStatus(d, DeploymentState.IN_PROGRESS, null, "deployment " + deploymentId));
        return new GitHubRecord(github, r);
    }

    void set(DeploymentState state, String url, String description) {
        record.ifPresent(r -> github.setStatus(r, state, url, description));
    }
}
