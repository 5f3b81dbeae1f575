package dev.gantry.dodeploy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.common.action.InputException;
import dev.gantry.common.digitalocean.AppSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImagePinsTest {
    static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

    @Test
    void parsesTagsDigestsAndKeptRepositories() {
        Map<String, AppSpec.ImageRef> pins = ImagePins.parse("images", List.of(
                "web=acme/web:1.2.3", "api=acme/api@" + DIGEST, "worker=:latest", "cron=@" + DIGEST,
                "reg=registry.example.com/team/app:v1"));
        assertThat(pins.get("web")).isEqualTo(new AppSpec.ImageRef("acme/web", "1.2.3", null));
        assertThat(pins.get("api")).isEqualTo(new AppSpec.ImageRef("acme/api", null, DIGEST));
        assertThat(pins.get("worker")).isEqualTo(new AppSpec.ImageRef(null, "latest", null));
        assertThat(pins.get("cron")).isEqualTo(new AppSpec.ImageRef(null, null, DIGEST));
        assertThat(pins.get("reg").repository()).isEqualTo("registry.example.com/team/app");
    }

    @Test
    void rejectsWhatCannotBeAnImage() {
        for (String bad : List.of("web", "web=acme/web", "web=acme/web@sha256:123", "web=acme/web:bad tag",
                "web=Acme/Web:v1", "=acme/web:v1")) {
            assertThatThrownBy(() -> ImagePins.parse("images", List.of(bad))).as(bad)
                    .isInstanceOf(InputException.class).hasMessageContaining("Input 'images'");
        }
        assertThatThrownBy(() -> ImagePins.parse("images", List.of("web=:v1", "web=:v2")))
                .hasMessageContaining("twice");
    }

    @Test
    void appliesToImageComponentsOnly() throws Exception {
        AppSpec spec = AppSpec.of((ObjectNode) new ObjectMapper().readTree("""
                {"name": "shop", "services": [{"name": "web", "github": {"repo": "acme/shop"}},
                 {"name": "api", "image": {"registry_type": "DOCR", "repository": "acme/api", "tag": "v1"}}]}"""));
        AppSpec pinned = ImagePins.apply("images", spec, ImagePins.parse("images", List.of("api=@" + DIGEST)));
        assertThat(pinned.image("api").path("digest").asText()).isEqualTo(DIGEST);
        assertThat(pinned.image("api").has("tag")).isFalse();
        assertThat(spec.image("api").path("tag").asText()).as("the original is unchanged").isEqualTo("v1");
        assertThatThrownBy(() -> ImagePins.apply("images", spec, ImagePins.parse("images", List.of("web=:v2"))))
                .isInstanceOf(InputException.class).hasMessageContaining("built from source");
    }
}
