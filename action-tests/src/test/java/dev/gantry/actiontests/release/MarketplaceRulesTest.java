package dev.gantry.actiontests.release;

import dev.gantry.actiontests.harness.Project;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the release would publish to each action's own repository ({@code release.sh stage}: the same function
 * {@code publish} uses, with made-up digests and no registry) follows GitHub Marketplace's rules
 * ({@link MarketplaceRules}); and the rules catch what would keep an action off the Marketplace. ReleaseTest
 * checks the same rules on the repositories a whole local release wrote.
 */
class MarketplaceRulesTest {
    static final String REGISTRY = "ghcr.io/gantry-actions/gantry";

    /** Made-up digests, one line per action: {@code <action> sha256:<hex of the name's SHA-256>}. */
    static String fakeDigests() {
        return Project.actionNames().stream().map(a -> a + " sha256:" + sha256(a)).collect(Collectors.joining("\n"));
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void whatTheReleaseWouldPublishFollowsTheMarketplaceRules(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("stage");
        ReleaseScript.Run r = ReleaseScript.run(Project.root(), Map.of("RELEASE_DIGESTS", digests(),
                "RELEASE_WORK", tmp.resolve("work").toString()), Duration.ofMinutes(1), "stage", "v" + Project.version(), out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();

        Map<String, Path> dirs = new LinkedHashMap<>();
        for (String action : Project.actionNames()) {
            Path dir = out.resolve(action);
            dirs.put(action, dir);
            assertThat(MarketplaceRules.problems(dir, action, REGISTRY)).as(action).isEmpty();
            String readme = Files.readString(dir.resolve("README.md"));
            assertThat(readme).as("the listing's README names the listing").contains("gantry-actions/" + action + "@" + Project.majorTag());
            assertThat(Files.readString(dir.resolve("action.yml"))).as("everything but the image line is the action's own")
                    .isEqualTo(Files.readString(Project.actionDir(action).resolve("action.yml"))
                            .replaceFirst("(?m)^  image: .*$", "  image: 'docker://" + REGISTRY + "/" + action + "@"
                                    + digests().lines().filter(l -> l.startsWith(action + " ")).findFirst().orElseThrow().split(" ")[1] + "'"));
        }
        assertThat(MarketplaceRules.duplicateNames(dirs)).isEmpty();
    }

    @Test
    void theRulesCatchWhatWouldKeepAnActionOffTheMarketplace(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("stage");
        ReleaseScript.Run r = ReleaseScript.run(Project.root(), Map.of("RELEASE_DIGESTS", digests(),
                "RELEASE_WORK", tmp.resolve("work").toString()), Duration.ofMinutes(1), "stage", "v" + Project.version(), out.toString());
        assertThat(r.exitCode()).as(r.toString()).isZero();
        Path dir = out.resolve("smoke-test");
        Files.createDirectories(dir.resolve(".github/workflows"));
        Files.writeString(dir.resolve(".github/workflows/ci.yml"), "on: push\n");
        String yml = Files.readString(dir.resolve("action.yml"));
        Files.writeString(dir.resolve("action.yml"), yml.replaceFirst("(?m)^name: .*$", "name: 'Deployment'")
                .replaceFirst("(?m)^  image: .*$", "  image: 'docker://" + REGISTRY + "/smoke-test:" + Project.version() + "'"));
        Files.writeString(dir.resolve("README.md"), "See [the docs](../../README.md).\n"
                + "- uses: gantry-actions/gantry/actions/smoke-test@v1\n");

        List<String> problems = MarketplaceRules.problems(dir, "smoke-test", REGISTRY);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("holds .github"));
        Files.walk(dir.resolve(".github")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        problems = MarketplaceRules.problems(dir, "smoke-test", REGISTRY);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("is a Marketplace category"))
                .anySatisfy(p -> assertThat(p).contains("does not start with 'Gantry '"))
                .anySatisfy(p -> assertThat(p).contains("is not docker://" + REGISTRY + "/smoke-test@sha256:<digest>"))
                .anySatisfy(p -> assertThat(p).contains("links to '../../README.md'"))
                .anySatisfy(p -> assertThat(p).contains("monorepo path"));

        Map<String, Path> twins = new LinkedHashMap<>();
        twins.put("smoke-test", dir);
        twins.put("rollback", dir);
        assertThat(MarketplaceRules.duplicateNames(twins)).hasSize(1);
    }

    /** The README of a listing: uses: lines name the listing, relative links point into the monorepo at the tag. */
    @Test
    void theListingReadmeWorksOutsideTheMonorepo() {
        ReleaseScript.Run r = ReleaseScript.function(Map.of("ACTIONS_REMOTE", "https://github.com/gantry-actions",
                        "MONOREPO_URL", "https://github.com/gantry-actions/gantry"),
                "TAG=v1.2.3; printf '%s\\n' '- uses: gantry-actions/gantry/actions/rollback@v1' "
                        + "'[top](../../README.md) [spec](docs/spec.md) [here](./x.md) [web](https://example.com/a) [anchor](#inputs)' "
                        + "| listing_readme smoke-test");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output()).contains("- uses: gantry-actions/rollback@v1")
                .contains("[top](https://github.com/gantry-actions/gantry/blob/v1.2.3/README.md)")
                .contains("[spec](https://github.com/gantry-actions/gantry/blob/v1.2.3/actions/smoke-test/docs/spec.md)")
                .contains("[here](https://github.com/gantry-actions/gantry/blob/v1.2.3/actions/smoke-test/x.md)")
                .contains("[web](https://example.com/a)").contains("[anchor](#inputs)");
    }

    /** The one-time fix the release prints when an image cannot be pulled without credentials. */
    @Test
    void theVisibilityFixNamesThePackageSettingsPage() {
        ReleaseScript.Run ghcr = ReleaseScript.function(Map.of("REGISTRY", "ghcr.io/gantry-actions/gantry"),
                "visibility_fix do-deploy");
        assertThat(ghcr.output()).contains(
                "https://github.com/orgs/gantry-actions/packages/container/gantry%2Fdo-deploy/settings",
                "Change package visibility > Public");
        ReleaseScript.Run other = ReleaseScript.function(Map.of("REGISTRY", "127.0.0.1:5000/acme/gantry"),
                "visibility_fix do-deploy");
        assertThat(other.output()).contains("127.0.0.1:5000/acme/gantry/do-deploy: make this repository readable without credentials");
    }

    private static String digests() {
        return fakeDigests();
    }
}
