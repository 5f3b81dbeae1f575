package dev.gantry.common.action;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
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
     * Looked up there and not on the whole classpath: no action module depends on another (a test enforces it), but a
     * classpath that holds every action (action-tests, which starts an action's {@code main} in a child JVM) has one
     * {@code action.yml} per action.
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

    /** @throws IllegalArgumentException for YAML outside what {@link ActionYaml} reads */
    public static ActionMetadata parse(byte[] yaml) {
        Map<String, Object> root = ActionYaml.parse(new String(yaml, StandardCharsets.UTF_8));
        Map<String, InputSpec> inputs = new LinkedHashMap<>();
        mapping(root.get("inputs")).forEach((name, v) -> {
            Map<String, Object> spec = mapping(v);
            Object def = spec.get("default");
            inputs.put(name, new InputSpec(name, text(spec.get("description")),
                    text(spec.get("required")).equalsIgnoreCase("true"), def == null ? null : text(def)));
        });
        Map<String, String> outputs = new LinkedHashMap<>();
        mapping(root.get("outputs")).forEach((name, v) -> outputs.put(name, text(mapping(v).get("description"))));
        return new ActionMetadata(text(root.get("name")), Map.copyOf(inputs), Map.copyOf(outputs));
    }

    /** A mapping node of {@link ActionYaml#parse}'s tree; anything else (absent, a scalar) reads as empty. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(Object node) {
        return node instanceof Map<?, ?> ? (Map<String, Object>) node : Map.of();
    }

    private static String text(Object scalar) {
        return scalar instanceof String s ? s : "";
    }
}
