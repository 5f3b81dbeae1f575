package dev.gantry.common.github;

import dev.gantry.common.action.Markdown;

import java.util.List;
import java.util.Optional;

/**
 * What the actions tell GitHub: deployment records and their statuses, one sticky PR comment per action and
 * environment, and incident issues. Every method degrades instead of failing the deploy: without permission
 * (a fork PR's read-only token) it prints one warning naming the permission to add and returns empty.
 *
 * <p>Only objects of the token's own account count as the action's own: a comment or an issue that carries the
 * action's hidden marker but was written by someone else is never updated or commented on (see README.md).
 */
public interface GitHubReporter {

    /** Creates a deployment record for {@code request}; empty when disabled or not permitted. */
    Optional<DeploymentRecord> createDeployment(DeploymentRequest request);

    /**
     * Adds a status to a deployment record. A {@code success} also sets {@code inactive} on the earlier records of
     * the same environment that it replaces (this action's own, whose last status is {@code success}), whatever
     * GitHub's {@code auto_inactive} does.
     */
    void setStatus(DeploymentRecord deployment, DeploymentState state, String environmentUrl, String description);

    /**
     * Finds the newest deployment record of {@code environment} whose payload names {@code providerDeploymentId}
     * (as written by {@link #createDeployment}); used by rollback to mark the bad and the restored deployments.
     */
    Optional<DeploymentRecord> findDeployment(String environment, String providerDeploymentId);

    /**
     * Sets every record of {@code environment} (this action's own) that is not {@code inactive} yet to
     * {@code inactive}: the environment is gone (a deleted preview app). Returns how many were set.
     */
    int deactivate(String environment, String description);

    /**
     * Creates or updates, in place, the one comment on the event's pull request that carries the hidden marker
     * for {@code markerKey} (e.g. {@code vercel-deploy:preview}) and was written by the token's own account.
     * Returns the comment's URL; empty when there is no pull request, it is disabled, or not permitted.
     */
    Optional<String> stickyComment(String markerKey, Markdown body);


    /**
     * Opens an incident issue, or, when an open issue of the token's own account with the incident's label and
     * marker exists, adds a comment to it instead. Returns the URL.
     */
    Optional<String> incident(Incident incident);

    /**
     * The end of the step ({@code failed}: it did not pass). Writes the last status of every record this reporter
     * left without one: the status that could not be written before (a rate limit), or, when the step failed
     * before a record got its result, {@code error}. Returns what the step summary must say: records that stay
     * without a final status and why, and markers found in objects that are not the action's own.
     */
    List<Markdown> finish(boolean failed);

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
            public int deactivate(String environment, String description) {
                return 0;
            }

            @Override
            public Optional<String> stickyComment(String markerKey, Markdown body) {
                return Optional.empty();
            }

            @Override
            public Optional<String> incident(Incident incident) {
                return Optional.empty();
            }

            @Override
            public List<Markdown> finish(boolean failed) {
                return List.of();
            }
        };
    }

    /** A deployment record on GitHub: its id, environment, API URL and the commit it records. */
    record DeploymentRecord(long id, String environment, String url, String sha) {
    }

    /**
     * A deployment to record. {@code ref}: the commit the deployment was built from; null for the event's (the PR
     * head SHA on pull_request events, else {@code GITHUB_SHA}). {@code transientEnvironment}: a preview that goes
     * away. {@code productionEnvironment}: false for anything that can never be production; when true, the record
     * says {@code production_environment: true} only if {@code environment} is the production environment of
     * {@link GitHubReporters.Settings#productionEnvironment()} (default {@code production}, GitHub's own default).
     * {@code providerDeploymentId} goes into the payload.
     */
    record DeploymentRequest(String environment, String ref, String description, boolean transientEnvironment,
                             boolean productionEnvironment, String provider, String providerDeploymentId) {
    }

    /**
     * An incident: {@code markerKey} (e.g. {@code rollback:production}) and {@code label} find the open one again,
     * {@code title} is made one line, {@code moreLabels} are added when the issue is opened.
     */
    record Incident(String markerKey, String label, String title, Markdown body, List<String> moreLabels) {
        public Incident {
            if (label == null || label.isBlank()) throw new IllegalArgumentException("an incident needs its label");
            moreLabels = moreLabels == null ? List.of() : List.copyOf(moreLabels);
        }
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

        /** A state that ends the record's story (success, failure, error, inactive). */
        public boolean terminal() {
            return this == SUCCESS || this == FAILURE || this == ERROR || this == INACTIVE;
        }
    }
}
