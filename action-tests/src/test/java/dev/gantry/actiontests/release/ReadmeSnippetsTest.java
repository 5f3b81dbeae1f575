package dev.gantry.actiontests.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.gantry.actiontests.harness.Project;
import dev.gantry.actiontests.harness.WorkflowCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every workflow snippet in a README (a {@code ```yaml} block with a {@code uses:} step) is checked the way the
 * example workflows are: made into a whole workflow the way a user pastes it (a list of steps becomes a job's
 * steps, a job's fragment becomes a job, a workflow gets an {@code on:} if it lacks one), validated against
 * SchemaStore's {@code github-workflow.json}, and run through {@link WorkflowCheck}: inputs, required inputs,
 * {@code steps.<id>.outputs.<name>} of steps that exist in the snippet, and steps that can run. A snippet is
 * self-contained: a step it refers to is in it.
 */
class ReadmeSnippetsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** A fenced yaml block: the file, the line of its opening fence, its text. */
    record Snippet(Path file, int line, String text) {
        @Override
        public String toString() {
            return Project.root().relativize(file) + ":" + line;
        }
    }

    /** The READMEs a user reads: the project's, each action's, and the others in the tree's top folders. */
    static List<Path> readmes() throws IOException {
        List<Path> out = new ArrayList<>();
        Path root = Project.root();
        out.add(root.resolve("README.md"));
        for (String action : Project.actionNames()) out.add(Project.actionDir(action).resolve("README.md"));
        for (String other : List.of("common/image/README.md", "release/README.md", "bench/README.md")) {
            if (Files.exists(root.resolve(other))) out.add(root.resolve(other));
        }
        return out;
    }

    static List<Snippet> snippets(Path file) throws IOException {
        List<Snippet> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).strip().matches("```ya?ml")) continue;
            int start = i;
            StringBuilder text = new StringBuilder();
            for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) text.append(lines.get(i)).append('\n');
            if (text.toString().matches("(?s).*(^|\\n)\\s*-?\\s*uses:.*")) out.add(new Snippet(file, start + 1, text.toString()));
        }
        return out;
    }

    static Stream<Snippet> allSnippets() throws IOException {
        List<Snippet> all = new ArrayList<>();
        for (Path f : readmes()) all.addAll(snippets(f));
        return all.stream();
    }

    /** The snippet as the workflow a user ends up with after pasting it. */
    static JsonNode asWorkflow(String snippet) throws IOException {
        JsonNode doc = YAML.readTree(dedent(snippet));
        ObjectNode workflow;
        if (doc.isArray()) {
            ObjectNode job = YAML.createObjectNode().put("runs-on", "ubuntu-latest");
            job.set("steps", doc);
            workflow = wrap(job);
        } else if (doc.isObject() && doc.has("jobs")) {
            workflow = (ObjectNode) doc;
            if (!workflow.has("on")) {
                ObjectNode w = YAML.createObjectNode().put("on", "workflow_dispatch");
                w.setAll(workflow);
                workflow = w;
            }
        } else if (doc.isObject() && doc.has("steps")) {
            ObjectNode job = YAML.createObjectNode();
            if (!doc.has("runs-on")) job.put("runs-on", "ubuntu-latest");
            job.setAll((ObjectNode) doc);
            workflow = wrap(job);
        } else {
            throw new IllegalArgumentException("neither a workflow, a job nor a list of steps:\n" + snippet);
        }
        return workflow;
    }

    private static ObjectNode wrap(ObjectNode job) {
        ObjectNode w = YAML.createObjectNode().put("on", "workflow_dispatch");
        w.putObject("jobs").set("snippet", job);
        return w;
    }

    /** Removes the indentation every content line shares (a snippet cut out of a deeper steps: list). */
    static String dedent(String text) {
        int min = Integer.MAX_VALUE;
        for (String l : text.split("\n")) {
            if (l.isBlank() || l.stripLeading().startsWith("#")) continue;
            min = Math.min(min, l.length() - l.stripLeading().length());
        }
        if (min == Integer.MAX_VALUE || min == 0) return text;
        StringBuilder out = new StringBuilder();
        for (String l : text.split("\n", -1)) {
            int cut = Math.min(min, l.length() - l.stripLeading().length());
            out.append(l.substring(cut)).append('\n');
        }
        return out.toString();
    }

    static JsonSchema schema() throws IOException {
        Path p = Project.sharedFile("specs/schemastore/github-workflow.json");
        assumeTrue(Files.exists(p), "contract spec not found: " + p);
        try (InputStream in = Files.newInputStream(p)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allSnippets")
    void usesEachActionAsItsActionYmlDeclaresIt(Snippet snippet) throws IOException {
        WorkflowCheck.Result r = WorkflowCheck.check(asWorkflow(snippet.text()));
        assertThat(r.gantrySteps()).as("Gantry steps in %s", snippet).isPositive();
        assertThat(r.problems()).as("%s:\n%s", snippet, snippet.text()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allSnippets")
    void validatesAgainstTheWorkflowSchema(Snippet snippet) throws IOException {
        Set<ValidationMessage> errors = schema().validate(asWorkflow(snippet.text()));
        assertThat(errors).as("%s against github-workflow.json:\n%s", snippet, snippet.text()).isEmpty();
    }

    /** Each action's README shows it in use, so a README can never lose its snippet to this check unnoticed. */
    @Test
    void everyActionReadmeAndTheProjectReadmeHaveACheckedSnippet() throws IOException {
        assertThat(snippets(Project.root().resolve("README.md"))).as("README.md").isNotEmpty();
        for (String action : Project.actionNames()) {
            List<Snippet> s = snippets(Project.actionDir(action).resolve("README.md"));
            assertThat(s).as("actions/%s/README.md", action).isNotEmpty();
            boolean usesItself = false;
            for (Snippet one : s) {
                for (Iterator<Map.Entry<String, JsonNode>> jobs = asWorkflow(one.text()).path("jobs").fields(); jobs.hasNext(); ) {
                    for (JsonNode step : jobs.next().getValue().path("steps")) {
                        usesItself |= WorkflowCheck.gantryAction(step.path("uses").asText("")).filter(action::equals).isPresent();
                    }
                }
            }
            assertThat(usesItself).as("a snippet of actions/%s/README.md uses %s", action, action).isTrue();
        }
    }

    @Test
    void snippetsBecomeWorkflowsTheWayAUserPastesThem() throws IOException {
        JsonNode steps = asWorkflow("""
                    - id: smoke
                      uses: gantry-actions/gantry/actions/smoke-test@v1
                      with: { url: https://example.com }
                """);
        assertThat(steps.path("on").asText()).isEqualTo("workflow_dispatch");
        assertThat(steps.path("jobs").path("snippet").path("steps")).isInstanceOf(ArrayNode.class);
        assertThat(steps.path("jobs").path("snippet").path("runs-on").asText()).isEqualTo("ubuntu-latest");

        JsonNode job = asWorkflow("""
                permissions: { contents: read }
                steps:
                  - uses: gantry-actions/gantry/actions/smoke-test@v1
                    with: { url: https://example.com }
                """);
        assertThat(job.path("jobs").path("snippet").path("permissions").path("contents").asText()).isEqualTo("read");

        JsonNode jobs = asWorkflow("""
                jobs:
                  a: { runs-on: ubuntu-latest, steps: [ { uses: gantry-actions/smoke-test@v1, with: { url: x } } ] }
                """);
        assertThat(jobs.path("on").asText()).isEqualTo("workflow_dispatch");
        assertThat(WorkflowCheck.check(jobs).gantrySteps()).isEqualTo(1);
    }
}
