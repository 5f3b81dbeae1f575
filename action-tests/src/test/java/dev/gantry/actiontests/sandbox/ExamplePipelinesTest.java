package dev.gantry.actiontests.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gantry.actiontests.harness.Project;
import dev.gantry.common.action.ActionMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example pipelines for users ({@code .github/workflows/example-*.yml}) use each Gantry action as its
 * {@code action.yml} declares it: every {@code with:} key is a declared input, every required input is given,
 * every {@code steps.<id>.outputs.<name>} names an output of that step's action; and they can never run in this
 * repository by accident. (Schema validation against SchemaStore's github-workflow.json is
 * {@code containers.WorkflowSchemaTest}, which covers every workflow; actionlint runs in {@code .ci/setup-actionlint}.)
 */
class ExamplePipelinesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern GANTRY = Pattern.compile("gantry-actions/gantry/actions/([a-z-]+)@v\\d+");
    private static final Pattern STEP_OUTPUT = Pattern.compile("steps\\.([A-Za-z0-9_-]+)\\.outputs\\.([A-Za-z0-9_-]+)");
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
        JsonNode doc = YAML.readTree(workflow.toFile());
        List<String> problems = new ArrayList<>();
        int gantrySteps = 0;
        for (Iterator<Map.Entry<String, JsonNode>> jobs = doc.path("jobs").fields(); jobs.hasNext(); ) {
            Map.Entry<String, JsonNode> job = jobs.next();
            Map<String, ActionMetadata> stepActions = new HashMap<>();
            for (JsonNode step : job.getValue().path("steps")) {
                Matcher m = GANTRY.matcher(step.path("uses").asText(""));
                if (!m.matches()) continue;
                gantrySteps++;
                ActionMetadata meta = metadata(m.group(1));
                String where = job.getKey() + " › " + step.path("name").asText(m.group(1));
                for (Iterator<String> keys = step.path("with").fieldNames(); keys.hasNext(); ) {
                    String k = keys.next();
                    if (!meta.inputs().containsKey(k)) problems.add(where + ": input '" + k + "' is not in " + m.group(1) + "/action.yml");
                }
                meta.inputs().values().stream().filter(ActionMetadata.InputSpec::required)
                        .filter(in -> !step.path("with").has(in.name()))
                        .forEach(in -> problems.add(where + ": required input '" + in.name() + "' missing"));
                if (step.has("id")) stepActions.put(step.path("id").asText(), meta);
            }
            Matcher refs = STEP_OUTPUT.matcher(job.getValue().toString());
            while (refs.find()) {
                ActionMetadata meta = stepActions.get(refs.group(1));
                if (meta == null) continue; // a step that is not a Gantry action (actionlint checks those)
                if (!meta.outputs().containsKey(refs.group(2))) {
                    problems.add(job.getKey() + ": steps." + refs.group(1) + ".outputs." + refs.group(2) + " is not an output of "
                            + meta.name());
                }
            }
        }
        assertThat(gantrySteps).as("Gantry steps in %s", workflow.getFileName()).isPositive();
        assertThat(problems).as(workflow.getFileName().toString()).isEmpty();
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
                    Matcher m = GANTRY.matcher(step.path("uses").asText(""));
                    if (!m.matches()) continue;
                    for (Iterator<String> keys = step.path("with").fieldNames(); keys.hasNext(); ) {
                        if (keys.next().startsWith("slack-")) telling.add(m.group(1));
                    }
                }
            }
        }
        assertThat(telling).containsExactlyInAnyOrderElementsOf(Project.actionNames());
    }

    @Test
    void theOutputCheckCatchesAMisspelledOutput() {
        ActionMetadata deploy = metadata("do-deploy");
        assertThat(deploy.outputs()).containsKeys("previous-deployment-id", "live-url");
        assertThat(deploy.outputs()).doesNotContainKeys("previous-deployment", "url");
    }

    private static ActionMetadata metadata(String action) {
        try {
            return ActionMetadata.parse(Files.readAllBytes(Project.actionDir(action).resolve("action.yml")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
