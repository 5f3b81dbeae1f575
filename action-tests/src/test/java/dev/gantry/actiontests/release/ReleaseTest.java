package dev.gantry.actiontests.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gantry.actiontests.containers.ActionImages;
import dev.gantry.actiontests.containers.ContainerRun;
import dev.gantry.actiontests.containers.Docker;
import dev.gantry.actiontests.harness.ActionResult;
import dev.gantry.actiontests.harness.ActionRun;
import dev.gantry.actiontests.harness.Project;
import dev.gantry.common.testing.LoopbackServer;
import dev.gantry.common.testing.LoopbackServer.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A whole release, run here as on github.com: release/release.sh against a real registry on loopback (Debian's
 * docker-registry, started by .ci/setup-registry) behind {@link GhcrSimulator} (GHCR's token protocol, private new
 * packages, a package that refuses writes), and bare git repositories standing in for GitHub (this repository and
 * the five action repositories). The tree released is a copy of this one, committed in a fresh repository.
 *
 * <p>The story, in order: refusals before any push (a tag that is not the pom version, a dirty tree); a push that
 * fails half-way (the fourth image's package refuses writes), which leaves nothing a user can see; the re-run,
 * which keeps the three images already pushed (same digests, no second push) and stops, before any tag, because
 * the new packages are private, printing the fix; after the fix, a publication that fails at the last action
 * repository (which moves no tag here and no major tag), and its re-run, which publishes (the release commit with
 * digest-pinned action.yml files, the tags, the five action repositories, which then pass the Marketplace rules);
 * a re-run of the finished release, which changes nothing; one published action pulled by its digest
 * without credentials and run with the runner's {@code docker run}; and a new commit released under the same
 * version, which is refused. Only what needs github.com (the Release objects, attestations) is not run here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RELEASE_TIMEOUT = Duration.ofMinutes(20);
    /** The order the script works in (sorted), and the package that refuses writes: the fourth. */
    private static final List<String> ACTIONS = Project.actionNames();
    private static final String DENIED = ACTIONS.get(3);

    private Path tmp;
    private Path checkout;
    private Path remotes;
    private Path dockerConfig;
    private GhcrSimulator ghcr;
    private String namespace;
    private String registry;
    private String version;
    private String tag;
    private String major;
    private Map<String, String> env;
    private final Map<String, String> firstDigests = new LinkedHashMap<>();

    @BeforeAll
    void setUp() throws IOException {
        String reason = Docker.unavailableReason().orElse(null);
        assumeTrue(reason == null, reason);
        String upstream = testRegistry().orElse(null);
        assumeTrue(upstream != null, "no test registry: start one with .ci/setup-registry (GANTRY_TEST_REGISTRY or .ci/work/registry.addr)");
        for (String tool : List.of("skopeo", "git", "perl")) {
            assumeTrue(Docker.run(List.of("sh", "-c", "command -v " + tool), Map.of(), Duration.ofSeconds(10)).exitCode() == 0,
                    tool + " is not installed (.ci/setup-registry installs skopeo)");
        }
        for (String action : ACTIONS) {
            Path target = Project.actionDir(action).resolve("target");
            assumeTrue(Files.isRegularFile(target.resolve(action + ".jar")),
                    "actions/" + action + " is not packaged here (run through the reactor: ./mvnw -pl action-tests -am verify)");
        }
        ActionImages.pruneBuildStagesAtExit();

        version = Project.version();
        tag = "v" + version;
        major = Project.majorTag();
        tmp = Files.createTempDirectory("gantry-release-test-");
        checkout = tmp.resolve("gantry");
        remotes = tmp.resolve("remotes/gantry-actions");
        copyTree(checkout);
        git(checkout, "init", "-q", "-b", "main");
        git(checkout, "add", "-A");
        git(checkout, "-c", "user.name=Gantry Dev", "-c", "user.email=dev@example.com", "commit", "-q", "-m", "Gantry " + version);
        git(tmp, "init", "-q", "--bare", "-b", "main", remotes.resolve("gantry.git").toString());
        git(checkout, "remote", "add", "origin", remotes.resolve("gantry.git").toUri().toString());
        git(checkout, "push", "-q", "origin", "main");
        for (String action : ACTIONS) git(tmp, "init", "-q", "--bare", "-b", "main", remotes.resolve(action + ".git").toString());

        ghcr = new GhcrSimulator(upstream);
        namespace = "t" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        registry = ghcr.host() + "/" + namespace + "/gantry";
        dockerConfig = tmp.resolve("docker-config");
        Files.createDirectories(dockerConfig);
        // what `docker login` writes: the release user's credentials for the registry host
        String auth = Base64.getEncoder().encodeToString((GhcrSimulator.USER + ":" + GhcrSimulator.PASSWORD).getBytes(StandardCharsets.UTF_8));
        Files.writeString(dockerConfig.resolve("config.json"),
                JSON.writeValueAsString(Map.of("auths", Map.of(ghcr.host(), Map.of("auth", auth)))));

        env = new LinkedHashMap<>();
        env.put("REGISTRY", registry);
        env.put("ORIGIN", "origin");
        env.put("ACTIONS_REMOTE", remotes.toUri().toString().replaceAll("/$", ""));
        env.put("RELEASE_PULL_BASES", "0");
        env.put("RELEASE_WORK", tmp.resolve("work").toString());
        env.put("DOCKER_CONFIG", dockerConfig.toString());
        // not inside a workflow run, even when CI runs this test inside one: no ::group::, no writes to its files
        env.put("GITHUB_ACTIONS", "");
        env.put("GITHUB_OUTPUT", "");
        env.put("GITHUB_STEP_SUMMARY", "");
        System.out.println("[release] releasing " + checkout + " to " + registry);
    }

    @AfterAll
    void tearDown() throws IOException {
        if (ghcr != null) ghcr.close();
        if (registry != null) {
            Docker.Result images = Docker.run(List.of("docker", "images", "--format", "{{.Repository}}:{{.Tag}}"), Map.of(),
                    Duration.ofSeconds(30));
            for (String image : images.output().lines().filter(l -> l.startsWith(registry + "/")).toList()) {
                Docker.run(List.of("docker", "rmi", image), Map.of(), Duration.ofSeconds(60));
            }
        }
        if (tmp != null) {
            try (Stream<Path> s = Files.walk(tmp)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void aTagThatIsNotThePomVersionOrADirtyTreeIsRefusedBeforeAnythingIsPushed() throws IOException {
        String wrong = "v" + (Integer.parseInt(major.substring(1)) + 1) + ".0.0";
        ReleaseScript.Run r = release("all", wrong);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output()).contains("REFUSED: the tag " + wrong + " does not match the project version " + version);

        Files.writeString(checkout.resolve("notes.txt"), "not committed\n");
        r = release("all", tag);
        Files.delete(checkout.resolve("notes.txt"));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output()).contains("REFUSED: the working tree has changes that are not committed").contains("notes.txt");

        ReleaseScript.Run bad = release("all", "1.0");
        assertThat(bad.exitCode()).as(bad.toString()).isEqualTo(2);

        assertThat(ghcr.requests()).as("nothing reached the registry").isEmpty();
        assertThat(git(tmp, "ls-remote", remotes.resolve("gantry.git").toString()).output()).doesNotContain("refs/tags/");
    }

    @Test
    @Order(2)
    void aPushThatFailsHalfWayLeavesNothingAUserCanSee() {
        ghcr.denyPush(repository(DENIED));
        ReleaseScript.Run r = release("all", tag);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.output()).contains("permission_denied").contains("FAILED: docker push " + registry + "/" + DENIED);

        for (String action : ACTIONS) {
            Optional<String> digest = remoteDigest(action);
            if (ACTIONS.indexOf(action) < ACTIONS.indexOf(DENIED)) {
                assertThat(digest).as("%s was pushed before the failure", action).isPresent();
                firstDigests.put(action, digest.orElseThrow());
            } else {
                assertThat(digest).as("%s is not pushed", action).isEmpty();
            }
        }
        assertNothingUserVisible();
    }

    @Test
    @Order(3)
    void theReRunKeepsWhatWasPushedAndStopsBecauseTheNewPackagesArePrivate() {
        ghcr.allowPush(repository(DENIED));
        ghcr.clearRequests();
        ReleaseScript.Run r = release("all", tag);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output()).contains("REFUSED: 5 image(s) cannot be pulled without credentials")
                .contains("before any login").contains("Nothing was tagged")
                .contains(registry + "/do-deploy: make this repository readable without credentials")
                .contains("re-run the release with the same tag");

        for (Map.Entry<String, String> e : firstDigests.entrySet()) {
            assertThat(r.output()).contains("kept from an earlier run: " + registry + "/" + e.getKey() + "@" + e.getValue());
            assertThat(ghcr.writes(repository(e.getKey()))).as("%s is not pushed again", e.getKey()).isEmpty();
            assertThat(remoteDigest(e.getKey())).as("%s keeps its digest", e.getKey()).contains(e.getValue());
        }
        for (String action : ACTIONS) {
            assertThat(remoteDigest(action)).as("%s is pushed now", action).isPresent();
        }
        assertThat(ghcr.requests()).as("the anonymous pull was refused like GHCR refuses a private package")
                .anyMatch(q -> q.who().equals("anonymous") && q.path().contains("/manifests/") && q.status() == 401);
        assertNothingUserVisible();
    }

    /**
     * The last action repository refuses the push (a pre-receive hook, as a protected branch would): the run stops
     * after the other four repositories got their commit and tag, before this repository's tag and any major tag.
     */
    @Test
    @Order(4)
    void aPublishThatFailsHalfWayMovesNoTagHereAndNoMajorTag() throws IOException {
        for (String action : ACTIONS) ghcr.makePublic(repository(action));
        String last = ACTIONS.get(ACTIONS.size() - 1);
        Path hook = remotes.resolve(last + ".git/hooks/pre-receive");
        Files.writeString(hook, "#!/bin/sh\necho 'protected: pushes are not allowed now' >&2\nexit 1\n");
        hook.toFile().setExecutable(true);
        ReleaseScript.Run r = release("all", tag);
        Files.delete(hook);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.output()).contains("FAILED: cannot push main to").contains(last + ".git");
        for (String action : ACTIONS) {
            Path bare = remotes.resolve(action + ".git");
            assertThat(remoteRef(bare, "refs/tags/" + major)).as("no major tag on %s", action).isEmpty();
            assertThat(remoteRef(bare, "refs/tags/" + tag)).as("%s", action).matches(t -> t.isPresent() == !action.equals(last));
        }
        assertThat(remoteRef(remotes.resolve("gantry.git"), "refs/tags/" + tag)).isEmpty();
        assertThat(remoteRef(remotes.resolve("gantry.git"), "refs/tags/" + major)).isEmpty();
    }

    @Test
    @Order(5)
    void theReRunPublishesTheRelease() throws IOException {
        Map<String, Optional<String>> partial = allRefs();
        ghcr.clearRequests();
        ReleaseScript.Run r = release("all", tag);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        for (String action : ACTIONS.subList(0, ACTIONS.size() - 1)) {
            assertThat(r.output()).contains(action + ".git: " + tag + " is already there");
            assertThat(allRefs().get(action + ".git refs/tags/" + tag)).isEqualTo(partial.get(action + ".git refs/tags/" + tag));
        }

        Map<String, String> digests = new LinkedHashMap<>();
        for (String action : ACTIONS) {
            digests.put(action, remoteDigest(action).orElseThrow());
            assertThat(ghcr.writes(repository(action))).as("%s is not pushed again", action).isEmpty();
            assertThat(ghcr.requests()).as("%s was pulled by digest without credentials", action)
                    .anyMatch(q -> q.who().equals("anonymous") && q.status() == 200
                            && q.path().equals("/v2/" + repository(action) + "/manifests/" + digests.get(action)));
        }
        assertThat(digests).containsAllEntriesOf(firstDigests);

        // this repository: vX.Y.Z and vX name the release commit, HEAD with the five image lines pinned by digest
        String source = git(checkout, "rev-parse", "HEAD").output().strip();
        String release = remoteRef(remotes.resolve("gantry.git"), "refs/tags/" + tag).orElseThrow();
        assertThat(remoteRef(remotes.resolve("gantry.git"), "refs/tags/" + major)).contains(release);
        git(checkout, "fetch", "-q", "origin", "refs/tags/" + tag + ":refs/tags/" + tag);
        assertThat(git(checkout, "rev-parse", release + "^").output().strip()).as("the release commit's parent").isEqualTo(source);
        assertThat(git(checkout, "diff", "--name-only", source, release).output().lines().toList())
                .containsExactlyInAnyOrderElementsOf(ACTIONS.stream().map(a -> "actions/" + a + "/action.yml").toList());
        for (String action : ACTIONS) {
            String pinned = git(checkout, "show", release + ":actions/" + action + "/action.yml").output();
            assertThat(YAML.readTree(pinned).path("runs").path("image").asText())
                    .isEqualTo("docker://" + registry + "/" + action + "@" + digests.get(action));
            String diff = git(checkout, "diff", "-U0", source, release, "--", "actions/" + action + "/action.yml").output();
            assertThat(diff.lines().filter(l -> l.matches("^[-+] .*")).toList()).as("only the image line changed").hasSize(2);
        }

        // one repository per action: main, vX.Y.Z and vX on one commit holding what the Marketplace lists
        Map<String, Path> clones = new LinkedHashMap<>();
        for (String action : ACTIONS) {
            Path bare = remotes.resolve(action + ".git");
            String commit = remoteRef(bare, "refs/tags/" + tag).orElseThrow();
            assertThat(remoteRef(bare, "refs/heads/main")).contains(commit);
            assertThat(remoteRef(bare, "refs/tags/" + major)).contains(commit);
            Path clone = tmp.resolve("clones/" + action);
            git(tmp, "clone", "-q", "--branch", tag, bare.toUri().toString(), clone.toString());
            clones.put(action, clone);
            assertThat(MarketplaceRules.problems(clone, action, registry)).as(action).isEmpty();
            assertThat(Files.readString(clone.resolve("action.yml")))
                    .isEqualTo(git(checkout, "show", release + ":actions/" + action + "/action.yml").output());
            assertThat(Files.readString(clone.resolve("README.md"))).contains("gantry-actions/" + action + "@" + major);
        }
        assertThat(MarketplaceRules.duplicateNames(clones)).isEmpty();

        Path notes = tmp.resolve("work/notes-" + tag + ".md");
        assertThat(notes).exists();
        String text = Files.readString(notes);
        assertThat(text).contains("## What changed", "The first release.", "## How to pin", release);
        for (String action : ACTIONS) {
            assertThat(text).contains("`" + registry + "/" + action + "@" + digests.get(action) + "`")
                    .contains("gh attestation verify oci://" + registry + "/" + action + "@" + digests.get(action));
        }
    }

    @Test
    @Order(6)
    void runningAFinishedReleaseAgainChangesNothing() {
        Map<String, Optional<String>> before = allRefs();
        ghcr.clearRequests();
        ReleaseScript.Run r = release("all", tag);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.output()).contains(tag + " is already there");
        for (String action : ACTIONS) assertThat(ghcr.writes(repository(action))).isEmpty();
        assertThat(allRefs()).isEqualTo(before);
    }

    @Test
    @Order(7)
    void thePublishedActionRunsFromItsDigestAsTheRunnerRunsIt() throws IOException {
        Path clone = tmp.resolve("clones/smoke-test");
        String image = YAML.readTree(clone.resolve("action.yml").toFile()).path("runs").path("image").asText()
                .substring("docker://".length());
        // forget the image locally (the tag the release pushed, and the digest reference), then pull it as a runner
        // in another repository does: by digest, with no credentials at all
        Docker.run(List.of("docker", "rmi", registry + "/smoke-test:" + version), Map.of(), Duration.ofSeconds(60));
        Docker.run(List.of("docker", "rmi", image), Map.of(), Duration.ofSeconds(60));
        Path noCredentials = Files.createDirectories(tmp.resolve("no-credentials"));
        ghcr.clearRequests();
        Docker.Result pull = Docker.run(List.of("docker", "pull", image), Map.of("DOCKER_CONFIG", noCredentials.toString()),
                Duration.ofMinutes(5));
        assertThat(pull.exitCode()).as(pull.output()).isZero();
        assertThat(ghcr.requests()).anyMatch(q -> q.who().equals("anonymous") && q.status() == 200
                && q.path().endsWith("/manifests/" + image.substring(image.indexOf('@') + 1)));

        try (LoopbackServer app = new LoopbackServer()) {
            app.route("GET", "/health", (req, m) -> Reply.json(200, Map.of("status", "ok")));
            ActionRun run = ActionRun.of("smoke-test").with("url", app.baseUrl().toString())
                    .with("checks", "checks:\n  - name: health\n    request: { path: /health }\n"
                            + "    expect: { status: 200, jsonpath: { \"$.status\": ok } }\n")
                    .with("wait-timeout", "0");
            ActionResult result = ContainerRun.of(run, image).run();
            assertThat(result.exitCode()).as(result.toString()).isZero();
            assertThat(result.output("result")).isEqualTo("pass");
            assertThat(app.requests()).anyMatch(q -> q.path().equals("/health"));
        }
    }

    @Test
    @Order(8)
    void anotherCommitUnderAReleasedVersionIsRefusedNeverOverwritten() throws IOException {
        Map<String, Optional<String>> before = allRefs();
        Files.writeString(checkout.resolve("README.md"), "\nA change after the release.\n", java.nio.file.StandardOpenOption.APPEND);
        git(checkout, "-c", "user.name=Gantry Dev", "-c", "user.email=dev@example.com", "commit", "-q", "-am", "A change");
        ghcr.clearRequests();
        ReleaseScript.Run r = release("all", tag);
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.output()).contains("REFUSED: " + registry + "/" + ACTIONS.get(0) + ":" + version + " already exists with digest")
                .contains("never overwritten");
        ReleaseScript.Run publish = release("publish", tag);
        assertThat(publish.exitCode()).as(publish.toString()).isEqualTo(1);
        assertThat(publish.output()).contains("REFUSED: " + tag + " already exists on origin");
        for (String action : ACTIONS) assertThat(ghcr.writes(repository(action))).isEmpty();
        assertThat(allRefs()).isEqualTo(before);
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private ReleaseScript.Run release(String command, String releaseTag) {
        long start = System.nanoTime();
        ReleaseScript.Run r = ReleaseScript.run(checkout, env, RELEASE_TIMEOUT, command, releaseTag);
        System.out.printf("[release] release.sh %s %s: exit %d in %.1f s%n%s%n", command, releaseTag, r.exitCode(),
                (System.nanoTime() - start) / 1e9, r.output());
        return r;
    }

    private String repository(String action) {
        return namespace + "/gantry/" + action;
    }

    /** The digest of {@code <registry>/<action>:<version>} read with the release user's credentials, if pushed. */
    private Optional<String> remoteDigest(String action) {
        Docker.Result r = Docker.run(List.of("skopeo", "inspect", "--tls-verify=false", "--authfile",
                        dockerConfig.resolve("config.json").toString(), "docker://" + registry + "/" + action + ":" + version),
                Map.of(), Duration.ofMinutes(1));
        if (r.exitCode() != 0) {
            assertThat(r.output().toLowerCase()).as("skopeo inspect fails only because the image is not there")
                    .containsAnyOf("manifest unknown", "name unknown");
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readTree(r.output()).path("Digest").asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void assertNothingUserVisible() {
        assertThat(git(tmp, "ls-remote", remotes.resolve("gantry.git").toString()).output())
                .as("no tag on this repository").doesNotContain("refs/tags/");
        for (String action : ACTIONS) {
            assertThat(git(tmp, "ls-remote", remotes.resolve(action + ".git").toString()).output())
                    .as("gantry-actions/%s is untouched", action).isBlank();
        }
    }

    private Map<String, Optional<String>> allRefs() {
        Map<String, Optional<String>> refs = new LinkedHashMap<>();
        List<Path> repos = new ArrayList<>(List.of(remotes.resolve("gantry.git")));
        for (String action : ACTIONS) repos.add(remotes.resolve(action + ".git"));
        for (Path repo : repos) {
            for (String ref : List.of("refs/heads/main", "refs/tags/" + tag, "refs/tags/" + major)) {
                refs.put(repo.getFileName() + " " + ref, remoteRef(repo, ref));
            }
        }
        return refs;
    }

    private Optional<String> remoteRef(Path bare, String ref) {
        String out = git(tmp, "ls-remote", bare.toString(), ref).output().strip();
        return out.isEmpty() ? Optional.empty() : Optional.of(out.split("\\s+")[0]);
    }

    private static Docker.Result git(Path dir, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
        command.addAll(List.of(args));
        return Docker.run(command, Map.of("GIT_CONFIG_GLOBAL", "/dev/null", "GIT_TERMINAL_PROMPT", "0"), Duration.ofMinutes(2))
                .requireSuccess(String.join(" ", command));
    }

    /**
     * This tree as a fresh checkout would have it (tracked and untracked files, without what .gitignore hides),
     * plus what {@code ./mvnw package} left for the image builds: each action's jar, target/lib/ and target/image/.
     */
    private static void copyTree(Path to) throws IOException {
        Path root = Project.root();
        Docker.Result files = Docker.run(List.of("git", "-C", root.toString(), "ls-files", "-co", "--exclude-standard"),
                Map.of(), Duration.ofMinutes(1));
        assumeTrue(files.exitCode() == 0, "the project is not a git checkout: " + files.output());
        for (String f : files.output().lines().filter(l -> !l.isBlank()).toList()) {
            Path src = root.resolve(f);
            if (!Files.isRegularFile(src)) continue;
            Path dst = to.resolve(f);
            Files.createDirectories(dst.getParent());
            Files.copy(src, dst, StandardCopyOption.COPY_ATTRIBUTES);
        }
        for (String action : ACTIONS) {
            Path target = Project.actionDir(action).resolve("target");
            Path dest = to.resolve("actions/" + action + "/target");
            List<Path> parts = List.of(target.resolve(action + ".jar"), target.resolve("lib"), target.resolve("image"));
            for (Path part : parts) {
                try (Stream<Path> s = Files.walk(part)) {
                    for (Path p : s.filter(Files::isRegularFile).toList()) {
                        Path dst = dest.resolve(target.relativize(p));
                        Files.createDirectories(dst.getParent());
                        Files.copy(p, dst, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
    }

    /** The loopback registry .ci/setup-registry started: GANTRY_TEST_REGISTRY, or the address file, if it answers. */
    private static Optional<String> testRegistry() {
        String addr = System.getenv("GANTRY_TEST_REGISTRY");
        Path file = Project.root().resolve(".ci/work/registry.addr");
        try {
            if ((addr == null || addr.isBlank()) && Files.isRegularFile(file)) addr = Files.readString(file).strip();
        } catch (IOException e) {
            return Optional.empty();
        }
        if (addr == null || addr.isBlank()) return Optional.empty();
        try (HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpResponse<Void> r = c.send(HttpRequest.newBuilder(URI.create("http://" + addr + "/v2/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200 ? Optional.of(addr) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
