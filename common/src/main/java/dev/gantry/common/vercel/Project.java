package dev.gantry.common.vercel;

import java.util.Map;

/**
 * A project ({@code GET /v9/projects/{idOrName}}): {@code targets.production} is the current production
 * deployment, {@code lastAliasRequest} the last promote/rollback job (with {@code rollbackInfo=true}).
 */
public record Project(String id, String name, String accountId, Map<String, TargetDeployment> targets,
                      AliasRequest lastAliasRequest) {

    /** The deployment serving {@code production} now, or null. */
    public TargetDeployment production() {
        return targets == null ? null : targets.get("production");
    }

    /** A deployment a target points at. */
    public record TargetDeployment(String id, String url, String readyState, Long createdAt) {
    }

    /** A promote or rollback job: {@code jobStatus} pending, in-progress, succeeded, failed or skipped. */
    public record AliasRequest(String type, String jobStatus, Long requestedAt, String toDeploymentId,
                               String fromDeploymentId) {
        public boolean finished() {
            return "succeeded".equals(jobStatus) || "failed".equals(jobStatus) || "skipped".equals(jobStatus);
        }
    }
}
