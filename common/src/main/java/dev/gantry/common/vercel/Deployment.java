package dev.gantry.common.vercel;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A deployment as {@code GET /v13/deployments/{idOrUrl}} and the create call return it. {@code url} has no
 * scheme. {@code aliasAssigned} is a boolean in v13 and a timestamp in older shapes, hence {@code Object}.
 * {@code isRollbackCandidate}: it served production, so a rollback can go back to it (research §2.10).
 */
public record Deployment(@JsonAlias("uid") String id, String url, String name, String projectId,
                         String readyState, String readySubstate, String target, List<String> alias,
                         Object aliasAssigned, ErrorInfo aliasError, String errorCode, String errorMessage,
                         String inspectorUrl, Long createdAt, Long buildingAt, Long ready,
                         Map<String, String> meta, Map<String, Check> checks,
                         @JsonProperty("isRollbackCandidate") Boolean rollbackCandidate) {

    /** A deployment without the rollback-candidate flag (older shapes, tests). */
    public Deployment(String id, String url, String name, String projectId, String readyState, String readySubstate,
                      String target, List<String> alias, Object aliasAssigned, ErrorInfo aliasError, String errorCode,
                      String errorMessage, String inspectorUrl, Long createdAt, Long buildingAt, Long ready,
                      Map<String, String> meta, Map<String, Check> checks) {
        this(id, url, name, projectId, readyState, readySubstate, target, alias, aliasAssigned, aliasError, errorCode,
                errorMessage, inspectorUrl, createdAt, buildingAt, ready, meta, checks, null);
    }

    /** The states after which a deployment never changes by itself (research §2.8; BLOCKED included). */
    public static final Set<String> FAILED_STATES = Set.of("ERROR", "CANCELED", "BLOCKED", "DELETED");

    public boolean isAliasAssigned() {
        return aliasAssigned instanceof Boolean b ? b
                : aliasAssigned instanceof Number n && n.longValue() != 0;
    }

    /** {@code READY} with its aliases assigned: what {@code @vercel/client} calls done. */
    public boolean isLive() {
        return "READY".equals(readyState) && isAliasAssigned();
    }

    /**
     * A production deployment Vercel built but does not serve ({@code readySubstate: STAGED}: an instant rollback
     * holds production, or domains were not to be assigned); it is done, and no production alias will come.
     */
    public boolean isStaged() {
        return "READY".equals(readyState) && "production".equals(target) && "STAGED".equals(readySubstate);
    }

    /** Failed for good: a failed state, an {@code *_ERROR} state, an alias error or a failed alias check. */
    public boolean isFailed() {
        return readyState != null && (FAILED_STATES.contains(readyState) || readyState.endsWith("_ERROR"))
                || aliasError != null
                || checks != null && checks.get("deployment-alias") != null
                && "failed".equals(checks.get("deployment-alias").state());
    }

    /** The deployment URL with {@code https://}. */
    public String httpsUrl() {
        return url == null ? null : url.startsWith("http") ? url : "https://" + url;
    }

    /** {@code {code, message}} of an error. */
    public record ErrorInfo(String code, String message) {
    }

    /** A v2 check ({@code checks["deployment-alias"]}). */
    public record Check(String state) {
    }
}
