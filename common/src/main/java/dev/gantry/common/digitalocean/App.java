package dev.gantry.common.digitalocean;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;


/**
 * An App Platform app ({@code models/app.yml}). {@code pending_deployment} in a create or update response is
 * "guaranteed to reflect the associated deployment": the deployment that call started. {@code live_url} stays
 * empty for apps without an HTTP component (workers and jobs only).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record App(String id, String ownerUuid, AppSpec spec, String defaultIngress, String liveUrl, String liveUrlBase,
                  String liveDomain, Deployment activeDeployment, Deployment inProgressDeployment,
                  Deployment pendingDeployment, Deployment pinnedDeployment, String createdAt,
                  String updatedAt, String lastDeploymentCreatedAt, String projectId,
                  String tierSlug) {

    public String name() {
        return spec == null ? null : spec.name();
    }

    /** The id of the deployment serving now, or null. */
    public String activeDeploymentId() {
        return activeDeployment == null ? null : activeDeployment.id();
    }

    /** The deployment in flight: pending first (what create/update started), else in progress; or null. */
    public Deployment currentDeployment() {
        if (pendingDeployment != null && pendingDeployment.id() != null) return pendingDeployment;
        if (inProgressDeployment != null && inProgressDeployment.id() != null) return inProgressDeployment;
        return null;
    }

    public boolean hasLiveUrl() {
        return liveUrl != null && !liveUrl.isBlank();
    }

    /** The same app with every secret value of its spec removed (for outputs and logs). */
    public App withoutSecrets() {
        return new App(id, ownerUuid, spec == null ? null : spec.withoutSecrets(), defaultIngress, liveUrl, liveUrlBase,
                liveDomain, strip(activeDeployment), strip(inProgressDeployment), strip(pendingDeployment),
                strip(pinnedDeployment), createdAt, updatedAt, lastDeploymentCreatedAt, projectId, tierSlug);
    }

    private static Deployment strip(Deployment d) {
        return d == null ? null : d.withoutSpec();
    }
}
