package dev.gantry.actiontests.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.gantry.actiontests.harness.Project;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every workflow in {@code .github/workflows} validates against SchemaStore's {@code github-workflow.json}
 * (from {@code ../shared/specs}; skipped when absent). Jackson's YAML reader keeps mapping keys as text, so
 * {@code on} stays the string "on" instead of YAML 1.1's boolean {@code true}, which the schema would reject.
 */
class WorkflowSchemaTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Stream<Path> workflows() throws IOException {
        Path dir = Project.root().resolve(".github/workflows");
        if (!Files.isDirectory(dir)) return Stream.empty();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    static JsonSchema schema() throws IOException {
        Path p = Project.sharedFile("specs/schemastore/github-workflow.json");
        assumeTrue(Files.exists(p), "contract spec not found: " + p);
        try (InputStream in = Files.newInputStream(p)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
    }

    @Test
    void theReleaseWorkflowExists() throws IOException {
        assertThat(workflows().map(p -> p.getFileName().toString())).contains("release.yml");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("workflows")
    void workflowValidatesAgainstSchemaStore(Path workflow) throws IOException {
        JsonSchema schema = schema();
        JsonNode doc = YAML.readTree(workflow.toFile());
        assertThat(doc.has("on")).as("the key 'on' read as the string \"on\"").isTrue();
        assertThat(doc.has("true")).isFalse();

        Set<ValidationMessage> errors = schema.validate(doc);
        assertThat(errors).as("%s against github-workflow.json", workflow.getFileName()).isEmpty();
    }

    @Test
    void theSchemaCheckRejectsABrokenWorkflow() throws IOException {
        JsonSchema schema = schema();
        JsonNode broken = YAML.readTree("""
                on: push
                jobs:
                  build:
                    runs-on: ubuntu-24.04
                    steps:
                      - uses: actions/checkout@v5
                        run: echo both uses and run
                """);
        assertThat(schema.validate(broken)).isNotEmpty();
        JsonNode noJobs = YAML.readTree("on: push\n");
        assertThat(schema.validate(noJobs)).isNotEmpty();
    }
}
