package dev.gantry.actiontests.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.gantry.common.action.ActionMetadata;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every action's metadata: valid per SchemaStore, in step with the Java code, documented exactly. */
class ActionYmlTest {
    /** How the actions read inputs: {@code inputs.<method>("name"} with a literal name. */
    private static final Pattern INPUT_READ = Pattern.compile("\\binputs\\s*\\.\\s*\\w+\\(\\s*\"([^\"]+)\"");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|");

    static List<String> actions() {
        return Project.actionNames();
    }

    private static JsonNode yaml(Path p) throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(p.toFile());
    }

    @ParameterizedTest
    @MethodSource("actions")
    void actionYmlValidatesAgainstSchemaStore(String action) throws IOException {
        Path schemaFile = Project.sharedFile("specs/schemastore/github-action.json");
        Assumptions.assumeTrue(Files.exists(schemaFile), "contract spec not found: " + schemaFile);
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(Files.readString(schemaFile));
        Set<ValidationMessage> errors = schema.validate(yaml(Project.actionDir(action).resolve("action.yml")));
        assertThat(errors).as(action + "/action.yml").isEmpty();
    }

    /**
     * The runtime reads action.yml with its own small reader (no YAML library at start-up); it must see exactly
     * what a full YAML parser sees: every input's description, required flag and default, every output.
     */
    @ParameterizedTest
    @MethodSource("actions")
    void theRuntimeReaderSeesWhatAFullYamlParserSees(String action) throws IOException {
        Path file = Project.actionDir(action).resolve("action.yml");
        JsonNode full = yaml(file);
        ActionMetadata md = ActionMetadata.parse(Files.readAllBytes(file));
        assertThat(md.name()).isEqualTo(full.path("name").asText());
        assertThat(md.inputs().keySet()).containsExactlyInAnyOrderElementsOf(() -> full.path("inputs").fieldNames());
        full.path("inputs").fields().forEachRemaining(e -> {
            ActionMetadata.InputSpec spec = md.inputs().get(e.getKey());
            JsonNode in = e.getValue();
            assertThat(spec.description()).as(e.getKey()).isEqualTo(in.path("description").asText(""));
            assertThat(spec.required()).as(e.getKey()).isEqualTo(in.path("required").asBoolean(false));
            assertThat(spec.defaultValue()).as(e.getKey()).isEqualTo(in.has("default") ? in.get("default").asText() : null);
        });
        assertThat(md.outputs().keySet()).containsExactlyInAnyOrderElementsOf(() -> full.path("outputs").fieldNames());
        full.path("outputs").fields().forEachRemaining(e ->
                assertThat(md.outputs().get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue().path("description").asText("")));
    }

    @org.junit.jupiter.api.Test
    void theSchemaCheckCatchesABrokenActionYml() throws IOException {
        Path schemaFile = Project.sharedFile("specs/schemastore/github-action.json");
        Assumptions.assumeTrue(Files.exists(schemaFile), "contract spec not found: " + schemaFile);
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(Files.readString(schemaFile));
        JsonNode broken = new ObjectMapper(new YAMLFactory()).readTree("""
                name: x
                inputs:
                  url:
                    required: 'yes'
                runs:
                  using: docker
                """);
        assertThat(schema.validate(broken)).extracting(ValidationMessage::getMessage)
                .anyMatch(m -> m.contains("description"))
                .anyMatch(m -> m.contains("image"));
    }

    @ParameterizedTest
    @MethodSource("actions")
    void actionYmlFollowsOurConventions(String action) throws IOException {
        JsonNode root = yaml(Project.actionDir(action).resolve("action.yml"));
        assertThat(root.path("runs").path("using").asText()).isEqualTo("docker");
        assertThat(root.path("runs").path("image").asText()).startsWith("docker://");
        assertThat(root.path("runs").has("args")).as("secrets must never travel in args").isFalse();
        assertThat(root.path("outputs").has("result")).as("every action sets a result output").isTrue();
        root.path("inputs").fields().forEachRemaining(e -> {
            assertThat(e.getKey()).as("input names are kebab-case").matches("[a-z][a-z0-9]*(-[a-z0-9]+)*");
            assertThat(e.getValue().path("description").asText()).as(e.getKey() + " has a description").isNotBlank();
            String def = e.getValue().path("default").asText("");
            if (e.getValue().path("required").asBoolean(false)) {
                assertThat(def).as(e.getKey() + ": a required input has no default").isEmpty();
            }
        });
    }

    @ParameterizedTest
    @MethodSource("actions")
    void theCodeReadsExactlyTheDeclaredInputs(String action) throws IOException {
        ActionMetadata md = ActionMetadata.parse(Files.readAllBytes(Project.actionDir(action).resolve("action.yml")));
        Set<String> read = inputsRead(Project.actionDir(action).resolve("src/main/java"));
        // the Slack inputs are read in common, by the notifier every action starts first thing
        assertThat(Files.readString(mainClass(action))).as(action + "'s Main starts the Slack notifier")
                .contains("SlackNotifier.forStep(ctx)");
        read.addAll(slackInputs());
        assertThat(read).as("inputs read by " + action + "'s code (and the Slack notifier's) vs declared in its action.yml")
                .containsExactlyInAnyOrderElementsOf(md.inputs().keySet());
        assertThat(md.outputs()).as(action + " declares the Slack notifier's output").containsKey("slack-thread");
    }

    /** The inputs the Slack notifier of common reads (every action declares them). */
    static Set<String> slackInputs() throws IOException {
        Set<String> read = inputsRead(Project.root().resolve("common/src/main/java/dev/gantry/common/slack"));
        assertThat(read).as("the Slack notifier's inputs").contains("slack-webhook-url", "slack-token", "slack-channel",
                "slack-thread", "slack-on", "slack-api-url");
        return read;
    }

    private static Set<String> inputsRead(Path sources) throws IOException {
        Set<String> read = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = INPUT_READ.matcher(Files.readString(f));
                while (m.find()) read.add(m.group(1));
            }
        }
        return read;
    }

    private static Path mainClass(String action) throws IOException {
        try (Stream<Path> files = Files.walk(Project.actionDir(action).resolve("src/main/java"))) {
            return files.filter(p -> p.getFileName().toString().equals("Main.java")).findFirst()
                    .orElseThrow(() -> new AssertionError(action + " has no Main.java"));
        }
    }

    @ParameterizedTest
    @MethodSource("actions")
    void readmeDocumentsExactlyTheInputsAndOutputs(String action) throws IOException {
        ActionMetadata md = ActionMetadata.parse(Files.readAllBytes(Project.actionDir(action).resolve("action.yml")));
        Path readme = Project.actionDir(action).resolve("README.md");
        assertThat(readme).as(action + " has a README").exists();
        Set<String> inputs = new LinkedHashSet<>();
        Set<String> outputs = new LinkedHashSet<>();
        Set<String> section = null;
        for (String line : Files.readAllLines(readme)) {
            if (line.startsWith("#")) {
                String h = line.replaceAll("^#+", "").trim().toLowerCase();
                section = h.equals("inputs") ? inputs : h.equals("outputs") ? outputs : null;
                continue;
            }
            Matcher m = TABLE_ROW.matcher(line);
            if (section != null && m.find()) section.add(m.group(1));
        }
        assertThat(inputs).as(action + " README ## Inputs table").containsExactlyInAnyOrderElementsOf(md.inputs().keySet());
        assertThat(outputs).as(action + " README ## Outputs table").containsExactlyInAnyOrderElementsOf(md.outputs().keySet());
    }
}
