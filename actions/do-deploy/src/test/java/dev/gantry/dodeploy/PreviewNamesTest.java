package dev.gantry.dodeploy;

import dev.gantry.common.digitalocean.AppSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PreviewNamesTest {
    @Test
    void matchesAppActionsNames() {
        // the example from digitalocean/app_action's utils/preview.go
        assertThat(PreviewNames.of("foo/bar", 3)).isEqualTo("foo-bar-3-merge-adb46530");
    }

    @Test
    void staysWithinThirtyTwoCharactersAndTheNamePattern() {
        for (String repo : new String[]{"Acme.Corp/very_long.repository-name-for-the-shop", "3m/app", "a/b"}) {
            for (int pr : new int[]{1, 12345}) {
                String name = PreviewNames.of(repo, pr);
                assertThat(name).as(repo + " #" + pr).hasSizeLessThanOrEqualTo(32).matches(AppSpec.NAME);
                assertThat(PreviewNames.of(repo, pr)).as("stable").isEqualTo(name);
            }
        }
        assertThat(PreviewNames.of("acme/shop", 1)).isNotEqualTo(PreviewNames.of("acme/shop", 2));
    }
}
