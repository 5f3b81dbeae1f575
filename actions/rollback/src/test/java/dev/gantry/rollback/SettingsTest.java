package dev.gantry.rollback;

import dev.gantry.common.action.InputException;
import dev.gantry.checks.CheckSuite;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings are a value checked when built: every rule that involves more than one input, each naming its input. */
class SettingsTest {

    private static Settings.Builder digitalocean() {
        return Settings.builder("digitalocean").digitalOcean("dop_v1_x", "shop-api", "");
    }

    private static Settings.Builder vercel() {
        return Settings.builder("vercel").vercel("vcp_x", "team_1", "prj_1", () -> null);
    }

    private static void refused(Settings.Builder b, String input, String message) {
        assertThatThrownBy(b::build).isInstanceOf(InputException.class)
                .satisfies(e -> assertThat(((InputException) e).input()).isEqualTo(input))
                .hasMessageContaining(message);
    }

    @Test
    void defaultsAreTheProvidersApiAndGithubsProductionEnvironment() {
        Settings s = digitalocean().build();
        assertThat(s.apiUrl()).isEqualTo(URI.create(Settings.DIGITALOCEAN_API));
        assertThat(s.productionEnvironment()).isEqualTo("production");
        assertThat(s.incident()).isEqualTo(Settings.Incident.ALWAYS);
        assertThat(vercel().build().apiUrl()).isEqualTo(URI.create(Settings.VERCEL_API));
        assertThat(digitalocean().github("t", "staging", "live").build().productionEnvironment()).isEqualTo("live");
    }

    @Test
    void digitalOceanNeedsItsTokenAndExactlyOneWayToNameTheApp() {
        refused(Settings.builder("digitalocean").digitalOcean("", "shop", ""), "token", "Input required");
        refused(Settings.builder("digitalocean").digitalOcean("t", "", ""), "app-name", "or app-id");
        refused(Settings.builder("digitalocean").digitalOcean("t", "shop", "a1"), "app-id", "both set");
    }

    @Test
    void commitRevertUndoAndTargetRulesLiveHere() {
        refused(digitalocean().commit(true).revert(true), "revert", "choose one");
        refused(digitalocean().revert(true).target("dep-1"), "target", "must be empty with revert");
        refused(digitalocean().undo(true), "undo", "on DigitalOcean use revert");
        refused(vercel().commit(true), "commit", "Vercel rollbacks are not pinned");
        refused(vercel().revert(true), "revert", "use undo");
        refused(digitalocean().timeout(Duration.ZERO), "timeout", "longer than 0");
        refused(digitalocean().verify(null, "checks: []", raw -> CheckSuite.defaultSuite(), Map.of(),
                Duration.ofMinutes(1)), "verify-checks", "verify-url is empty");
        refused(digitalocean().apiUrl(URI.create("http://api.example.com")), "api-url", "https");
    }

    @Test
    void vercelTakesTheProjectFromTheLinkedProjectFileWhenTheInputsAreEmpty() {
        var linked = new dev.gantry.common.vercel.ProjectLink("prj_linked", "usr_me", ".vercel/project.json");
        Settings s = Settings.builder("vercel").vercel("vcp_x", "", "", () -> linked).build();
        assertThat(s.vercelProjectId()).isEqualTo("prj_linked");
        assertThat(s.vercelOrgId()).as("a personal account has no team id").isEmpty();
        refused(Settings.builder("vercel").vercel("vcp_x", "", "", () -> null), "vercel-project-id", "Input required");
        refused(Settings.builder("vercel").vercel("", "team_1", "prj_1", () -> null), "vercel-token", "Input required");
    }

    @Test
    void theChecksAreParsedOnlyWhenThereIsAUrlToVerify() {
        Settings none = digitalocean().verify(null, "", raw -> {
            throw new AssertionError("not parsed without a URL");
        }, Map.of(), Duration.ofMinutes(1)).build();
        assertThat(none.checks()).isNull();
        Settings some = digitalocean().verify(URI.create("https://shop.example"), "", raw -> CheckSuite.defaultSuite(),
                Map.of("K", "v"), Duration.ofMinutes(1)).build();
        assertThat(some.checks().checks()).isNotEmpty();
        assertThat(some.verifySecrets()).containsEntry("K", "v");
    }
}
