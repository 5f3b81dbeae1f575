package dev.gantry.common.digitalocean;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.gantry.common.http.Idempotent;
import dev.gantry.common.http.NotIdempotent;
import feign.Headers;
import feign.Param;
import feign.RequestLine;

import java.util.List;

/**
 * The DigitalOcean App Platform endpoints Gantry uses ({@code https://api.digitalocean.com}), as documented in
 * DigitalOcean's OpenAPI description ({@code resources/apps}). Bodies are snake_case JSON.
 *
 * <p>Creating calls (create app, create deployment, rollback, revert) are not {@link Idempotent}: the retry layer
 * never resends them blindly; {@link AppPlatform} checks what exists before it tries again. A PUT of an app also
 * starts a deployment, so {@link AppPlatform} sends it through a client without automatic retries.
 */
@Headers({"Content-Type: application/json", "Accept: application/json"})
public interface AppsApi {

    /** The largest page the API serves. */
    int MAX_PER_PAGE = 200;

    // ---- apps -------------------------------------------------------------------------------------------------

    @RequestLine("GET /v2/apps?page={page}&per_page={perPage}")
    AppsPage listApps(@Param("page") int page, @Param("perPage") int perPage);

    @RequestLine("POST /v2/apps")
    AppEnvelope createApp(CreateAppRequest request);

    @RequestLine("GET /v2/apps/{id}")
    AppEnvelope getApp(@Param("id") String id);

    /** Also starts a deployment when the spec (or, with update_all_source_versions, a source) changed. */
    @NotIdempotent // it starts a deployment
    @RequestLine("PUT /v2/apps/{id}")
    AppEnvelope updateApp(@Param("id") String id, UpdateAppRequest request);

    @RequestLine("DELETE /v2/apps/{id}")
    DeleteAppResponse deleteApp(@Param("id") String id);

    /** Validates a spec (for a new app, or as an update of {@code app_id}) without changing anything. */
    @Idempotent
    @RequestLine("POST /v2/apps/propose")
    ProposeResponse propose(ProposeRequest request);

    // ---- deployments ------------------------------------------------------------------------------------------

    /** Newest first. */
    @RequestLine("GET /v2/apps/{appId}/deployments?page={page}&per_page={perPage}")
    DeploymentsPage listDeployments(@Param("appId") String appId, @Param("page") int page,
                                    @Param("perPage") int perPage);

    @RequestLine("POST /v2/apps/{appId}/deployments")
    DeploymentEnvelope createDeployment(@Param("appId") String appId, CreateDeploymentRequest request);

    @RequestLine("GET /v2/apps/{appId}/deployments/{deploymentId}")
    DeploymentEnvelope getDeployment(@Param("appId") String appId, @Param("deploymentId") String deploymentId);

    @Idempotent
    @RequestLine("POST /v2/apps/{appId}/deployments/{deploymentId}/cancel")
    DeploymentEnvelope cancelDeployment(@Param("appId") String appId, @Param("deploymentId") String deploymentId);

    /**
     * Archived logs of one component of a deployment; {@code type} is {@code BUILD} or {@code DEPLOY}. A 400 means
     * the deployment never reached that stage for the component (no build for an image, say).
     */
    @RequestLine("GET /v2/apps/{appId}/deployments/{deploymentId}/components/{component}/logs?type={type}&follow=false")
    Logs componentLogs(@Param("appId") String appId, @Param("deploymentId") String deploymentId,
                       @Param("component") String component, @Param("type") String type);

    /** Archived logs of all components of a deployment. */
    @RequestLine("GET /v2/apps/{appId}/deployments/{deploymentId}/logs?type={type}&follow=false")
    Logs deploymentLogs(@Param("appId") String appId, @Param("deploymentId") String deploymentId,
                        @Param("type") String type);

    // ---- rollback ---------------------------------------------------------------------------------------------

    /** Whether the app can roll back to {@code deployment_id}: {@code {valid, error?, warnings?}}. */
    @Idempotent
    @RequestLine("POST /v2/apps/{appId}/rollback/validate")
    RollbackValidation validateRollback(@Param("appId") String appId, RollbackRequest request);

    /**
     * Creates a new deployment (cause {@code MANUAL_ROLLBACK}) from the target's spec and artifacts. Unless
     * {@code skip_pin}, the app is pinned to it until {@link #commitRollback} or {@link #revertRollback}.
     */
    @RequestLine("POST /v2/apps/{appId}/rollback")
    DeploymentEnvelope rollback(@Param("appId") String appId, RollbackRequest request);

    /** Makes a pinned rollback permanent and unpins the app. */
    @Idempotent
    @RequestLine("POST /v2/apps/{appId}/rollback/commit")
    void commitRollback(@Param("appId") String appId);

    /** Creates a deployment from the spec before the rollback and unpins the app. */
    @RequestLine("POST /v2/apps/{appId}/rollback/revert")
    DeploymentEnvelope revertRollback(@Param("appId") String appId);

    // ---- bodies -----------------------------------------------------------------------------------------------

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record AppEnvelope(App app) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record AppsPage(List<App> apps, Links links, Meta meta) {
        public List<App> appsOrEmpty() {
            return apps == null ? List.of() : apps;
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record DeploymentEnvelope(Deployment deployment) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record DeploymentsPage(List<Deployment> deployments, Links links, Meta meta) {
        public List<Deployment> deploymentsOrEmpty() {
            return deployments == null ? List.of() : deployments;
        }
    }

    /** {@code links.pages}: only the links that make sense are present; no {@code next} on the last page. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Links(Pages pages) {
        public boolean hasNext() {
            return pages != null && pages.next() != null && !pages.next().isBlank();
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Pages(String first, String prev, String next, String last) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Meta(Integer total) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateAppRequest(AppSpec spec, String projectId) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record UpdateAppRequest(AppSpec spec, Boolean updateAllSourceVersions) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record DeleteAppResponse(String id) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreateDeploymentRequest(Boolean forceBuild) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ProposeRequest(AppSpec spec, String appId) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ProposeResponse(Boolean appNameAvailable, String appNameSuggestion, Integer appCost, Boolean appIsStatic,
                           AppSpec spec) {
    }

    /** {@code {live_url, historic_urls}}: presigned URLs, fetched without the API token. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Logs(String liveUrl, List<String> historicUrls) {
        public List<String> historicUrlsOrEmpty() {
            return historicUrls == null ? List.of() : historicUrls;
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RollbackRequest(String deploymentId, Boolean skipPin) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RollbackValidation(Boolean valid, RollbackCondition error, List<RollbackCondition> warnings) {
        public boolean isValid() {
            return Boolean.TRUE.equals(valid);
        }

        public List<RollbackCondition> warningsOrEmpty() {
            return warnings == null ? List.of() : warnings;
        }
    }

    /**
     * {@code incompatible_phase}, {@code incompatible_result}, {@code exceeded_revision_limit}, {@code app_pinned},
     * {@code database_config_conflict}, {@code region_conflict} (errors); {@code static_site_requires_rebuild},
     * {@code image_source_missing_digest} (warnings).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record RollbackCondition(String code, String message, List<String> components) {
    }
}
