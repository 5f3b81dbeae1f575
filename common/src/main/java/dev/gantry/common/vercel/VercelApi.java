package dev.gantry.common.vercel;

import dev.gantry.common.http.Idempotent;
import feign.Headers;
import feign.Param;
import feign.RequestLine;
import feign.Response;

import java.util.Map;

/**
 * The Vercel REST API operations a deploy and a rollback need, on their documented paths (research §2.12).
 * {@code teamId} is optional everywhere: null for a personal account (Feign then leaves the parameter out).
 *
 * <p>Calls whose non-2xx answers are part of the normal flow return the raw {@link Response} and are read by
 * {@link VercelClient}: create ({@code 400 missing_files}), alias ({@code 409}), promote ({@code 202}) and
 * rollback. Everything else is decoded here, with failures as {@code ProviderException}.
 */
@Headers("Accept: application/json")
public interface VercelApi {

    /** {@code GET /v9/projects/{idOrName}}; with {@code rollbackInfo=true} it carries {@code lastAliasRequest}. */
    @RequestLine("GET /v9/projects/{idOrName}?teamId={teamId}&rollbackInfo={rollbackInfo}")
    Project getProject(@Param("idOrName") String idOrName, @Param("teamId") String teamId,
                       @Param("rollbackInfo") Boolean rollbackInfo);

    /**
     * {@code POST /v13/deployments}. Never resent blindly: {@link VercelClient#createDeployment} checks for a
     * deployment carrying the request's key before trying again.
     */
    @RequestLine("POST /v13/deployments?teamId={teamId}&skipAutoDetectionConfirmation=1&forceNew={forceNew}&prebuilt={prebuilt}&withCache={withCache}")
    @Headers("Content-Type: application/json")
    Response createDeployment(@Param("teamId") String teamId, @Param("forceNew") String forceNew,
                              @Param("prebuilt") String prebuilt, @Param("withCache") String withCache,
                              CreateDeployment body);

    /**
     * {@code GET /v2/teams/{idOrSlug}}: a team by id or slug (the CLI's {@code --scope} takes either). Not in
     * Vercel's published OpenAPI cut.
     */
    @RequestLine("GET /v2/teams/{idOrSlug}")
    Team getTeam(@Param("idOrSlug") String idOrSlug);

    /** A team: its id ({@code team_...}) and slug. */
    record Team(String id, String slug, String name) {
    }

    @RequestLine("GET /v13/deployments/{idOrUrl}?teamId={teamId}")
    Deployment getDeployment(@Param("idOrUrl") String idOrUrl, @Param("teamId") String teamId);

    /** {@code GET /v6/deployments}, newest first; pass {@code pagination.next} as {@code until} for the next page. */
    @RequestLine("GET /v6/deployments?projectId={projectId}&target={target}&state={state}&limit={limit}&until={until}&since={since}&teamId={teamId}")
    DeploymentList listDeployments(@Param("projectId") String projectId, @Param("target") String target,
                                   @Param("state") String state, @Param("limit") Integer limit,
                                   @Param("until") Long until, @Param("since") Long since,
                                   @Param("teamId") String teamId);

    /** {@code POST /v2/deployments/{id}/aliases}: assigning the same alias again is harmless, so it may be resent. */
    @RequestLine("POST /v2/deployments/{id}/aliases?teamId={teamId}")
    @Headers("Content-Type: application/json")
    @Idempotent
    Response assignAlias(@Param("id") String deploymentId, @Param("teamId") String teamId, AliasBody body);

    @RequestLine("GET /v2/deployments/{id}/aliases?teamId={teamId}")
    AliasList listAliases(@Param("id") String deploymentId, @Param("teamId") String teamId);

    /** {@code PATCH /v12/deployments/{id}/cancel}: cancelling twice leaves it cancelled. */
    @RequestLine("PATCH /v12/deployments/{id}/cancel?teamId={teamId}")
    @Idempotent
    Deployment cancelDeployment(@Param("id") String deploymentId, @Param("teamId") String teamId);

    /** {@code POST /v10/projects/{projectId}/promote/{deploymentId}} (no body): 201 started, 202 queued behind a rolling release. */
    @RequestLine("POST /v10/projects/{projectId}/promote/{deploymentId}?teamId={teamId}")
    Response requestPromote(@Param("projectId") String projectId, @Param("deploymentId") String deploymentId,
                            @Param("teamId") String teamId);

    /**
     * {@code POST /v1/projects/{projectId}/rollback/{deploymentId}} (documented path; the CLI uses {@code /v9}).
     * Not in Vercel's published OpenAPI description.
     */
    @RequestLine("POST /v1/projects/{projectId}/rollback/{deploymentId}?description={description}&teamId={teamId}")
    @Headers("Content-Type: application/json")
    Response requestRollback(@Param("projectId") String projectId, @Param("deploymentId") String deploymentId,
                             @Param("description") String description, @Param("teamId") String teamId,
                             Map<String, Object> body);

    /** The body of an alias assignment. */
    record AliasBody(String alias) {
    }
}
