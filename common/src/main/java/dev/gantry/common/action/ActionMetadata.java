package dev.gantry.common.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** What an action's {@code action.yml} declares: its inputs (with defaults) and outputs. */
public record ActionMetadata(String name, Map<String, InputSpec> inputs, Map<String, String> outputs) {

    public record InputSpec(String name, String description, boolean required, String defaultValue) {
        /** A default the runner evaluates ({@code ${{ github.token }}}) cannot be applied outside it. */
        public boolean hasLiteralDefault() {
            return defaultValue != null && !defaultValue.contains("${{");
        }
    }

    /** Reads the {@code action.yml} packaged at the root of the action's jar. */
    public static ActionMetadata fromClasspath(Class<?> anchor) {
        try (InputStream in = anchor.getResourceAsStream("/action.yml")) {
            if (in == null) {
                throw new IllegalStateException("action.yml is not on the classpath of " + anchor.getName());
            }
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ActionMetadata parse(byte[] yaml) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
        Map<String, InputSpec> inputs = new LinkedHashMap<>();
        JsonNode in = root.path("inputs");
        for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode spec = e.getValue();
            inputs.put(e.getKey(), new InputSpec(e.getKey(), spec.path("description").asText(""),
                    spec.path("required").asBoolean(false),
                    spec.has("default") ? spec.get("default").asText() : null));
        }
        Map<String, String> outputs = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("outputs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            outputs.put(e.getKey(), e.getValue().path("description").asText(""));
        }
        return new ActionMetadata(root.path("name").asText(""), Map.copyOf(inputs), Map.copyOf(outputs));
    }
}
