package dev.gantry.common.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.common.http.HttpApi;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppSpecTest {
    static AppSpec spec(String json) throws Exception {
        return AppSpec.of(HttpApi.JSON.readTree(json));
    }

    static final String SPEC = """
            {"name": "shop", "region": "nyc", "domains": [{"domain": "shop.example.com"}],
             "alerts": [{"rule": "DEPLOYMENT_FAILED"}],
             "ingress": {"rules": [{"match": {"path": {"prefix": "/"}}, "component": {"name": "web"}}]},
             "envs": [{"key": "DB", "type": "SECRET", "value": "EV[1:n:c]"}, {"key": "MODE", "value": "prod"}],
             "services": [{"name": "web", "github": {"repo": "Acme/Shop", "branch": "main", "deploy_on_push": true},
                           "envs": [{"key": "K", "type": "SECRET", "value": "plain"}]}],
             "workers": [{"name": "mailer", "image": {"registry_type": "GHCR", "repository": "acme/mailer", "tag": "v1",
                          "registry_credentials": "user:ghp_secret"}}],
             "jobs": [{"name": "migrate", "kind": "PRE_DEPLOY", "github": {"repo": "other/repo", "branch": "main"}}]}""";

    @Test
    void fieldsGantryDoesNotKnowRoundTripThroughTheClient() throws Exception {
        AppSpec s = spec(SPEC);
        JsonNode sent = HttpApi.JSON.readTree(HttpApi.JSON.writeValueAsString(new AppsApi.UpdateAppRequest(s, true)));
        assertThat(sent.path("spec")).isEqualTo(HttpApi.JSON.readTree(SPEC));
        assertThat(sent.path("update_all_source_versions").asBoolean()).isTrue();
        App app = HttpApi.JSON.readValue("{\"id\": \"1\", \"spec\": " + SPEC + ", \"unknown_field\": 1}", App.class);
        assertThat(app.spec()).isEqualTo(s);
        assertThat(app.name()).isEqualTo("shop");
    }

    @Test
    void componentsAndHttp() throws Exception {
        AppSpec s = spec(SPEC);
        assertThat(s.components()).extracting(AppSpec.Component::name).containsExactly("web", "mailer", "migrate");
        assertThat(s.hasHttpComponents()).isTrue();
        assertThat(spec("{\"name\": \"w\", \"workers\": [{\"name\": \"mailer\"}]}").hasHttpComponents()).isFalse();
    }

    @Test
    void secretEnvsAreMergedByKey() throws Exception {
        Map<String, String> envs = new LinkedHashMap<>();
        envs.put("MODE", "staging");
        envs.put("TOKEN", "t0k3n");
        AppSpec s = spec(SPEC).withSecretEnvs(envs);
        JsonNode e = s.json().path("envs");
        assertThat(e.findValuesAsText("key")).containsExactly("DB", "MODE", "TOKEN");
        assertThat(e.get(1).path("value").asText()).isEqualTo("staging");
        assertThat(e.get(1).path("type").asText()).isEqualTo("SECRET");
        assertThat(e.get(1).path("scope").asText()).isEqualTo("RUN_TIME");
        assertThat(spec(SPEC).json().path("envs").get(1).path("value").asText()).as("immutable").isEqualTo("prod");
    }

    @Test
    void previewSpecsFollowThePullRequestBranchOnlyForThisRepository() throws Exception {
        AppSpec p = spec(SPEC).forPreview("acme-shop-7-merge-12345678", "acme/shop", "feature/x");
        ObjectNode j = p.json();
        assertThat(p.name()).isEqualTo("acme-shop-7-merge-12345678");
        assertThat(j.has("domains")).isFalse();
        assertThat(j.has("alerts")).isFalse();
        assertThat(j.path("services").get(0).path("github").path("branch").asText()).isEqualTo("feature/x");
        assertThat(j.path("services").get(0).path("github").path("deploy_on_push").asBoolean()).isFalse();
        assertThat(j.path("jobs").get(0).path("github").path("branch").asText()).isEqualTo("main");
    }

    @Test
    void withoutSecretsDropsSecretValuesAndCredentials() throws Exception {
        String out = spec(SPEC).withoutSecrets().json().toString();
        assertThat(out).doesNotContain("EV[").doesNotContain("plain").doesNotContain("ghp_secret").contains("prod");
    }

    @Test
    void imagesArePinnedOnImageComponentsOnly() throws Exception {
        AppSpec s = spec(SPEC).withImage("mailer", new AppSpec.ImageRef("acme/mailer2", null, "sha256:" + "a".repeat(64)));
        assertThat(s.image("mailer").path("repository").asText()).isEqualTo("acme/mailer2");
        assertThat(s.image("mailer").has("tag")).isFalse();
        assertThatThrownBy(() -> spec(SPEC).withImage("web", new AppSpec.ImageRef(null, "v2", null)))
                .hasMessageContaining("built from source");
        assertThatThrownBy(() -> spec(SPEC).withImage("nope", new AppSpec.ImageRef(null, "v2", null)))
                .hasMessageContaining("no component named 'nope'");
    }
}
