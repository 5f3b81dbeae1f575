package dev.gantry.common.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
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

    /**
     * Reads the {@code action.yml} packaged at the root of the jar (or classes folder) that holds {@code anchor}.
     * Looked up there and not on the whole classpath: an action that depends on another action's module (rollback
     * uses the smoke-test engine) has two {@code action.yml} on its classpath.
     */
    public static ActionMetadata fromClasspath(Class<?> anchor) {
        try {
            URL location = anchor.getProtectionDomain().getCodeSource().getLocation();
            Path origin = Path.of(location.toURI());
            if (Files.isDirectory(origin)) {
                return parse(Files.readAllBytes(origin.resolve("action.yml")));
            }
            try (JarFile jar = new JarFile(origin.toFile())) {
                JarEntry entry = jar.getJarEntry("action.yml");
                if (entry == null) {
                    throw new IllegalStateException("action.yml is not in " + origin + " (the jar of " + anchor.getName() + ")");
                }
                try (InputStream in = jar.getInputStream(entry)) {
                    return parse(in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
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
