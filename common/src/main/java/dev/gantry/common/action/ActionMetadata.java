package dev.gantry.common.action;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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
     * Reads the {@code action.yml} packaged at the root of the action's jar. An image holds one action, and no action
     * module depends on another (a test in action-tests enforces it), so there is exactly one on the classpath;
     * two mean a wrong build, and are refused rather than guessed between.
     */
    public static ActionMetadata fromClasspath(Class<?> anchor) {
        try {
            List<URL> found = Collections.list(anchor.getClassLoader().getResources("action.yml"));
            if (found.size() != 1) {
                throw new IllegalStateException(found.isEmpty() ? "no action.yml on the classpath of " + anchor.getName()
                        : "more than one action.yml on the classpath (an action depends on another?): " + found);
            }
            try (InputStream in = found.get(0).openStream()) {
                return parse(in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
