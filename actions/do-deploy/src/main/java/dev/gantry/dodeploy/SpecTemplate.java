package dev.gantry.dodeploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.gantry.common.action.InputException;
import dev.gantry.common.digitalocean.AppSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an app spec file (YAML or JSON) and fills {@code ${VAR}} placeholders in its string values from the
 * step's environment, only where {@code VAR} is set. Everything else is left as written: App Platform's own
 * bindable variables ({@code ${APP_URL}}, {@code ${db.DATABASE_URL}}, {@code ${_self.URL}}) are resolved by the
 * platform, and a {@code $} in a password stays a {@code $}. Substitution happens after parsing, so a value with
 * YAML syntax in it cannot change the spec's structure.
 */
final class SpecTemplate {
    /** {@code ${NAME}} with a plain variable name; dotted bindables never match. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    /** App-wide bindables the platform fills, never taken from the environment. */
    static final Set<String> PLATFORM_VARIABLES = Set.of("APP_URL", "APP_DOMAIN", "APP_ID");

    /** What loading did: the spec, the variables filled, and the placeholders left for the platform. */
    record Loaded(AppSpec spec, Set<String> filled, Set<String> leftAlone) {
    }

    private SpecTemplate() {
    }

    static Loaded load(Path file, String inputName, Function<String, String> env) {
        if (!Files.isRegularFile(file)) {
            throw InputException.invalid(inputName, "points to " + file + ", which does not exist (paths are relative "
                    + "to the workspace; check out the repository first, or set app-name or app-id to deploy an "
                    + "existing app's spec)");
        }
        JsonNode tree;
        try {
            tree = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw InputException.invalid(inputName, "points to " + file + ", which is not valid YAML or JSON: "
                    + firstLine(e.getMessage()));
        }
        if (tree == null || !tree.isObject()) {
            throw InputException.invalid(inputName, "points to " + file + ", which is not an app spec (a mapping "
                    + "with name, services, ...)");
        }
        Set<String> filled = new TreeSet<>();
        Set<String> left = new TreeSet<>();
        JsonNode result = substitute(tree, env, filled, left);
        return new Loaded(AppSpec.of(result), filled, left);
    }

    static JsonNode substitute(JsonNode node, Function<String, String> env, Set<String> filled, Set<String> left) {
        if (node.isTextual()) return TextNode.valueOf(fill(node.asText(), env, filled, left));
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                copy.set(e.getKey(), substitute(e.getValue(), env, filled, left));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            for (JsonNode c : node) copy.add(substitute(c, env, filled, left));
            return copy;
        }
        return node;
    }

    static String fill(String text, Function<String, String> env, Set<String> filled, Set<String> left) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String value = PLATFORM_VARIABLES.contains(name) ? null : env.apply(name);
            if (value == null) {
                left.add(name);
                m.appendReplacement(b, Matcher.quoteReplacement(m.group()));
            } else {
                filled.add(name);
                m.appendReplacement(b, Matcher.quoteReplacement(value));
            }
        }
        m.appendTail(b);
        Matcher bindable = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z0-9_.]+)}").matcher(text);
        while (bindable.find()) left.add(bindable.group(1));
        return b.toString();
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
