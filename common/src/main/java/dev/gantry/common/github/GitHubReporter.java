package dev.gantry.common.github;

import java.util.List;
import java.util.Optional;

/**
 * What the actions tell GitHub: deployment records and their statuses, one sticky PR comment per action and
 * environment, and incident issues. Every method degrades instead of failing the deploy: without permission
 * (a fork PR's read-only token) it prints one warning naming the permission to add and returns empty.
 */
public interface GitHubReporter {

    /** Creates a deployment record for {@code request}; empty when disabled or not permitted. */
    Optional<DeploymentRecord> createDeployment(DeploymentRequest request);

    /** Adds a status to a deployment record this run created (or found). */
    void setStatus(DeploymentRecord deployment, DeploymentState state, String environmentUrl, String description);

    /**
     * Finds the newest deployment record of {@code environment} whose payload names {@code providerDeploymentId}
     * (as written by {@link #createDeployment}); used by rollback to mark the bad and the restored deployments.
     */
    Optional<DeploymentRecord> findDeployment(String environment, String providerDeploymentId);

    /**
     * Creates or updates, in place, the one comment on the event's pull request that carries the hidden marker
     * for {@code markerKey} (e.g. {@code vercel-deploy:preview}). Returns the comment's URL; empty when there is
     * no pull request, it is disabled, or not permitted.
     */
    Optional<String> stickyComment(String markerKey, String markdownBody);

    /**
     * Opens an incident issue, or, when an open issue with the same marker exists, adds a comment to it instead.
     * Returns the URL.
     */
    Optional<String> incident(String markerKey, String title, String markdownBody, List<String> labels);

    /** A reporter that does nothing (the action's GitHub reporting is switched off or there is no token). */
    static GitHubReporter disabled() {
        return new GitHubReporter() {
            @Override
            public Optional<DeploymentRecord> createDeployment(DeploymentRequest request) {
                return Optional.empty();
            }

            @Override
            public void setStatus(DeploymentRecord d, DeploymentState s, String url, String description) {
            }

            @Override
            public Optional<DeploymentRecord> findDeployment(String environment, String providerDeploymentId) {
                return Optional.empty();
            }

            @Override
            public Optional<String> stickyComment(String markerKey, String markdownBody) {
                return Optional.empty();
            }

            @Override
            public Optional<String> incident(String markerKey, String title, String body, List<String> labels) {
                return Optional.empty();
            }
        };
    }

    /** A deployment record on GitHub. */
    record DeploymentRecord(long id, String environment, String url) {
    }

    /**
     * A deployment to record. {@code ref}: the PR head SHA on pull_request events, else {@code GITHUB_SHA}
     * (the gateway fills it when null). {@code providerDeploymentId} goes into the payload.
     */
    record DeploymentRequest(String environment, String ref, String description, boolean transientEnvironment,
                             boolean productionEnvironment, String provider, String providerDeploymentId) {
    }

    /** Deployment status states, with the wire value the REST API expects. */
    enum DeploymentState {
        QUEUED("queued"), PENDING("pending"), IN_PROGRESS("in_progress"), SUCCESS("success"),
        FAILURE("failure"), ERROR("error"), INACTIVE("inactive");

        private final String wire;

        DeploymentState(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }
}
