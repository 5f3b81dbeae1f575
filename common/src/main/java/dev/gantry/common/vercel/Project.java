package dev.gantry.common.vercel;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * A project ({@code GET /v9/projects/{idOrName}}): {@code targets.production} is the current production
 * deployment, {@code lastAliasRequest} the last promote/rollback job (with {@code rollbackInfo=true}).
 * {@code rootDirectory} is the project's Root Directory (a monorepo app's folder, relative to what is deployed),
 * {@code sourceFilesOutsideRootDirectory} whether the build may read files outside it. {@code lastRollbackTarget}
 * is set while an instant rollback is in effect: production deploys are then staged (READY with
 * {@code readySubstate: STAGED}) and the project stays on the rolled-back deployment until one is promoted.
 */
public record Project(String id, String name, String accountId, Map<String, TargetDeployment> targets,
                      AliasRequest lastAliasRequest, String rootDirectory, Boolean sourceFilesOutsideRootDirectory,
                      JsonNode lastRollbackTarget) {

    public Project(String id, String name, String accountId, Map<String, TargetDeployment> targets,
                   AliasRequest lastAliasRequest) {
        this(id, name, accountId, targets, lastAliasRequest, null, null, null);
    }

    /** The deployment serving {@code production} now, or null. */
    public TargetDeployment production() {
        return targets == null ? null : targets.get("production");
    }

    /** The Root Directory, or null when the project has none. */
    public String rootDirectoryOrNull() {
        if (rootDirectory == null) return null;
        String d = rootDirectory.replace('\\', '/');
        while (d.startsWith("./")) d = d.substring(2);
        while (d.endsWith("/")) d = d.substring(0, d.length() - 1);
        return d.isEmpty() || d.equals(".") ? null : d;
    }

    /** Whether an instant rollback holds production: new production deploys are staged, not served. */
    public boolean rollbackInEffect() {
        return lastRollbackTarget != null && !lastRollbackTarget.isNull() && !lastRollbackTarget.isEmpty();
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
