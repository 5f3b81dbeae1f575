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
 *
 * <p>A spec can come from a pull request's branch, so it cannot ask for the step's credentials: placeholders
 * naming {@code INPUT_*} (the inputs, the DigitalOcean token among them), {@code ACTIONS_*} (the runner's tokens),
 * {@code RUNNER_*} or {@code GITHUB_TOKEN} are refused, whether set or not.
 */
final class SpecTemplate {
    /** {@code ${NAME}} with a plain variable name; dotted bindables never match. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    /** App-wide bindables the platform fills, never taken from the environment. */
    static final Set<String> PLATFORM_VARIABLES = Set.of("APP_URL", "APP_DOMAIN", "APP_ID");

    /** Variables a spec may never be filled from (the inputs, the runner's tokens and settings). */
    private static final Pattern REFUSED = Pattern.compile("INPUT_.*|ACTIONS_.*|RUNNER_.*|GITHUB_TOKEN");
    /** {@code $NAME} without braces, which digitalocean/app_action fills too (os.Expand) and we do not. */
    private static final Pattern UNBRACED = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");

    /**
     * What loading did: the spec, the variables filled, the bindables left for the platform, the plain
     * placeholders left as written because nothing set them, and the {@code $NAME}s (no braces) the step's
     * environment has a value for.
     */
    record Loaded(AppSpec spec, Set<String> filled, Set<String> leftAlone, Set<String> unset, Set<String> unbraced) {
    }

    private SpecTemplate() {
    }

    static Loaded load(Path file, String inputName, Function<String, String> env) {
        return load(file, inputName, file.toString(), env);
    }

    /** {@code shown}: the file as the user wrote it, for messages. */
    static Loaded load(Path file, String inputName, String shown, Function<String, String> env) {
        if (!Files.isRegularFile(file)) {
            throw InputException.invalid(inputName, "points to " + shown + ", which does not exist (paths are relative "
                    + "to the workspace; check out the repository first, or set app-name or app-id to deploy an "
                    + "existing app's spec)");
        }
        JsonNode tree;
        try {
            tree = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw InputException.invalid(inputName, "points to " + shown + ", which is not valid YAML or JSON: "
                    + firstLine(e.getMessage()));
        }
        if (tree == null || !tree.isObject()) {
            throw InputException.invalid(inputName, "points to " + shown + ", which is not an app spec (a mapping "
                    + "with name, services, ...)");
        }
        Fill f = new Fill(env, inputName, shown);
        JsonNode result = substitute(tree, f);
        return new Loaded(AppSpec.of(result), f.filled, f.left, f.unset, f.unbraced);
    }

    /** One substitution pass: the environment and what it did. */
    static final class Fill {
        final Function<String, String> env;
        final String input;
        final String file;
        final Set<String> filled = new TreeSet<>();
        final Set<String> left = new TreeSet<>();
        final Set<String> unset = new TreeSet<>();
        final Set<String> unbraced = new TreeSet<>();

        Fill(Function<String, String> env, String input, String file) {
            this.env = env;
            this.input = input;
            this.file = file;
        }
    }

    static JsonNode substitute(JsonNode node, Fill f) {
        if (node.isTextual()) return TextNode.valueOf(fill(node.asText(), f));
        if (node.isObject()) {
            ObjectNode copy = ((ObjectNode) node).objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                copy.set(e.getKey(), substitute(e.getValue(), f));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = ((ArrayNode) node).arrayNode();
            for (JsonNode c : node) copy.add(substitute(c, f));
            return copy;
        }
        return node;
    }

    static String fill(String text, Fill f) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            if (REFUSED.matcher(name).matches()) {
                throw InputException.invalid(f.input, "(" + f.file + ") uses ${" + name + "}, which do-deploy never "
                        + "fills: placeholders cannot read INPUT_* (the step's inputs, the DigitalOcean token among "
                        + "them), ACTIONS_* and GITHUB_TOKEN (the runner's credentials) or RUNNER_*, so a spec from a "
                        + "pull request cannot copy them into the app. Pass the value under another name with env: on "
                        + "the step, e.g. env: { MY_VALUE: ... } and ${MY_VALUE}.");
            }
            String value = PLATFORM_VARIABLES.contains(name) ? null : f.env.apply(name);
            if (value == null) {
                (PLATFORM_VARIABLES.contains(name) ? f.left : f.unset).add(name);
                m.appendReplacement(b, Matcher.quoteReplacement(m.group()));
            } else {
                f.filled.add(name);
                m.appendReplacement(b, Matcher.quoteReplacement(value));
            }
        }
        m.appendTail(b);
        Matcher bindable = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z0-9_.]+)}").matcher(text);
        while (bindable.find()) f.left.add(bindable.group(1));
        Matcher bare = UNBRACED.matcher(text);
        while (bare.find()) {
            String name = bare.group(1);
            if (!REFUSED.matcher(name).matches() && f.env.apply(name) != null) f.unbraced.add(name);
        }
        return b.toString();
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
