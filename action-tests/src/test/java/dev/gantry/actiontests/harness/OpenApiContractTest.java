package dev.gantry.actiontests.harness;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiContractTest {

    @Test
    void acceptsAConformingRequestAndNamesWhatIsWrongInOneThatIsNot() {
        OpenApiContract gh = OpenApiContract.require("github/github.openapi.json");
        byte[] ok = "{\"body\":\"hello\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(gh.checkRequest("POST", "/repos/acme/shop/issues/7/comments", null, "application/json", ok)).isEmpty();

        byte[] bad = "{\"body\":42}".getBytes(StandardCharsets.UTF_8);
        assertThat(gh.checkRequest("POST", "/repos/acme/shop/issues/7/comments", null, "application/json", bad))
                .singleElement().asString().contains("body");
        assertThat(gh.checkRequest("DELETE", "/repos/acme/shop", null, null, new byte[0]))
                .singleElement().asString().contains("no such operation");
        assertThat(gh.checkRequest("GET", "/repos/acme/shop/issues/7/comments", "per_page=100&bogus=1", null, new byte[0]))
                .singleElement().asString().contains("'bogus' is not declared");
    }

    @Test
    void checksResponsesAgainstTheDeclaredStatusAndSchema() {
        OpenApiContract gh = OpenApiContract.require("github/github.openapi.json");
        assertThat(gh.checkResponse("GET", "/repos/acme/shop/issues/7/comments", 200, "[]".getBytes())).isEmpty();
        assertThat(gh.checkResponse("GET", "/repos/acme/shop/issues/7/comments", 200, "{}".getBytes())).isNotEmpty();
        assertThat(gh.checkResponse("GET", "/repos/acme/shop/issues/7/comments", 418, "{}".getBytes()))
                .singleElement().asString().contains("status not declared");
    }

    @Test
    void digitalOceanAndVercelDescriptionsLoad() {
        OpenApiContract doc = OpenApiContract.require("digitalocean/apps.openapi.json");
        assertThat(doc.checkRequest("GET", "/v2/apps", "page=1&per_page=20", null, new byte[0])).isEmpty();
        OpenApiContract vercel = OpenApiContract.require("vercel/vercel.openapi.json");
        assertThat(vercel.checkRequest("GET", "/v13/deployments/dpl_123", "teamId=team_1", null, new byte[0])).isEmpty();
    }
}
