package dev.gantry.actiontests.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gantry.actiontests.harness.Project;
import dev.gantry.actiontests.harness.WorkflowCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example pipelines for users ({@code .github/workflows/example-*.yml}) use each Gantry action as its
 * {@code action.yml} declares it ({@link WorkflowCheck}: inputs, required inputs, step outputs, steps that can
 * run), and they can never run in this repository by accident. The workflow snippets of the READMEs get the
 * same checks ({@code release.ReadmeSnippetsTest}). (Schema validation against SchemaStore's github-workflow.json is
 * {@code containers.WorkflowSchemaTest}, which covers every workflow; actionlint runs in {@code .ci/setup-actionlint}.)
 */
class ExamplePipelinesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> SAFE_TRIGGERS = Set.of("workflow_dispatch", "workflow_call");

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> s = Files.list(Project.root().resolve(".github/workflows"))) {
            return s.filter(p -> p.getFileName().toString().matches("example-.*\\.ya?ml")).sorted().toList().stream();
        }
    }

    @Test
    void theFourExamplesExist() throws IOException {
        assertThat(examples().map(p -> p.getFileName().toString()))
                .containsExactly("example-backend.yml", "example-frontend.yml", "example-migrations.yml", "example-rollback.yml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void usesEachActionAsItsActionYmlDeclaresIt(Path workflow) throws IOException {
        WorkflowCheck.Result r = WorkflowCheck.check(YAML.readTree(workflow.toFile()));
        assertThat(r.gantrySteps()).as("Gantry steps in %s", workflow.getFileName()).isPositive();
        assertThat(r.problems()).as(workflow.getFileName().toString()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void cannotRunInThisRepository(Path workflow) throws IOException {
        JsonNode on = YAML.readTree(workflow.toFile()).path("on");
        assertThat(on.isObject()).as("'on' as a mapping").isTrue();
        for (Iterator<Map.Entry<String, JsonNode>> it = on.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> trigger = it.next();
            if (SAFE_TRIGGERS.contains(trigger.getKey())) continue;
            JsonNode paths = trigger.getValue().path("paths");
            assertThat(paths.isArray() && !paths.isEmpty())
                    .as("%s: trigger '%s' needs a paths filter that matches nothing here", workflow.getFileName(), trigger.getKey())
                    .isTrue();
            for (JsonNode p : paths) {
                String glob = p.asText();
                String literal = glob.contains("*") ? glob.substring(0, glob.indexOf('*')) : glob;
                assertThat(literal).as("a literal folder before the wildcard in '%s'", glob).contains("/");
                assertThat(Project.root().resolve(literal.substring(0, literal.lastIndexOf('/'))))
                        .as("%s: paths '%s' must not exist in this repository", workflow.getFileName(), glob).doesNotExist();
            }
        }
    }

    /** Each action's README points to an example that tells Slack: every action has one. */
    @Test
    void everyActionTellsSlackInAnExample() throws IOException {
        Set<String> telling = new java.util.TreeSet<>();
        for (Path workflow : examples().toList()) {
            JsonNode doc = YAML.readTree(workflow.toFile());
            for (Iterator<JsonNode> jobs = doc.path("jobs").elements(); jobs.hasNext(); ) {
                for (JsonNode step : jobs.next().path("steps")) {
                    java.util.Optional<String> action = WorkflowCheck.gantryAction(step.path("uses").asText(""));
                    if (action.isEmpty()) continue;
                    for (Iterator<String> keys = step.path("with").fieldNames(); keys.hasNext(); ) {
                        if (keys.next().startsWith("slack-")) telling.add(action.get());
                    }
                }
            }
        }
        assertThat(telling).containsExactlyInAnyOrderElementsOf(Project.actionNames());
    }

    @Test
    void theCheckCatchesWhatWouldBreakAUsersRun() throws IOException {
        JsonNode broken = YAML.readTree("""
                on: workflow_dispatch
                jobs:
                  deploy:
                    runs-on: ubuntu-latest
                    steps:
                      - id: deploy
                        uses: gantry-actions/gantry/actions/do-deploy@v1
                        with: { token: t, app-spec: .do/app.yaml, timout: 5m }
                      - id: smoke
                        uses: gantry-actions/smoke-test@v1
                        with: { url: '${{ steps.deploy.outputs.url }}' }
                      - uses: gantry-actions/gantry/actions/rollback@v1
                        if: steps.smoke.outputs.result == 'fail'
                        with: { provider: digitalocean, target: '${{ steps.build.outputs.previous }}' }
                      - uses: gantry-actions/gantry/actions/rollback@v1
                        if: failure()
                        with: { provider: digitalocean, target: d1 }
                      - uses: gantry-actions/gantry/actions/no-such-action@v1
                """);
        WorkflowCheck.Result r = WorkflowCheck.check(broken);
        assertThat(r.gantrySteps()).isEqualTo(5);
        assertThat(r.problems()).hasSize(6)
                .anySatisfy(p -> assertThat(p).contains("the rollback with if: failure() also runs when the smoke test is inconclusive")).anySatisfy(p -> assertThat(p).contains("input 'timout' is not in do-deploy"))
                .anySatisfy(p -> assertThat(p).contains("steps.deploy.outputs.url is not an output of"))
                .anySatisfy(p -> assertThat(p).contains("steps.build.outputs.previous names no step"))
                .anySatisfy(p -> assertThat(p).contains("never runs"))
                .anySatisfy(p -> assertThat(p).contains("no Gantry action 'no-such-action'"));
    }
}
