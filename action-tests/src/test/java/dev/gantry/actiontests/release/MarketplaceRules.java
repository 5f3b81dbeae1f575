package dev.gantry.actiontests.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.gantry.actiontests.harness.Project;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * GitHub Marketplace's rules for listing an action ("Publishing actions in GitHub Marketplace"), checked on what
 * the release publishes to an action's own repository: a single action, its metadata file {@code action.yml} at
 * the root, no workflow files, a {@code name} that is unique (it cannot match another listed action, a user or
 * organization, a Marketplace category, or a GitHub feature), and the metadata the listing shows (description,
 * branding icon and color). On top of those, what makes the listing work for a stranger: the image pinned by
 * digest, a README whose links and {@code uses:} lines work outside the monorepo, and the project's LICENSE.
 */
final class MarketplaceRules {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** What an action repository holds: nothing else (above all, no .github/workflows). */
    static final Set<String> FILES = Set.of("action.yml", "README.md", "LICENSE");
    /** GitHub Marketplace's categories for actions (github.com/marketplace?type=actions). */
    static final Set<String> CATEGORIES = Set.of("api management", "chat", "code quality", "code review",
            "continuous integration", "dependency management", "deployment", "ides", "learning", "localization",
            "mobile", "monitoring", "project management", "publishing", "recently added", "security", "support",
            "testing", "utilities");
    /** Names GitHub keeps for its own features. */
    static final Set<String> GITHUB_FEATURES = Set.of("github", "actions", "packages", "pages", "codespaces", "copilot",
            "issues", "pull requests", "discussions", "projects", "wiki", "insights", "marketplace", "dependabot",
            "code scanning", "secret scanning", "advanced security", "sponsors", "gist");
    static final Set<String> COLORS = Set.of("white", "black", "yellow", "blue", "green", "orange", "red", "purple", "gray-dark");
    private static final Pattern RELATIVE_LINK = Pattern.compile("\\]\\((?![a-z][a-z0-9+.-]*:|#)([^)\\s]+)\\)");

    private MarketplaceRules() {
    }

    /**
     * Problems of one action's repository content in {@code dir} (a checkout or a staged folder), for the action
     * {@code action} whose images live under {@code registry}.
     */
    static List<String> problems(Path dir, String action, String registry) {
        List<String> out = new ArrayList<>();
        String where = action + ": ";
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.equals(".git")) continue;
                if (!FILES.contains(n)) out.add(where + "the repository holds " + n + ": only " + FILES + " (no workflow files)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String f : FILES) {
            if (!Files.isRegularFile(dir.resolve(f))) out.add(where + "no " + f + " at the root");
        }
        if (!out.isEmpty()) return out;
        try {
            JsonNode meta = YAML.readTree(dir.resolve("action.yml").toFile());
            String name = meta.path("name").asText("");
            if (name.isBlank()) out.add(where + "action.yml has no name");
            if (!name.startsWith("Gantry ")) out.add(where + "the name '" + name + "' does not start with 'Gantry ' (unique on the Marketplace)");
            if (!name.contains(" ")) {
                out.add(where + "the name '" + name + "' has no space, so it could equal a user or organization name");
            }
            String key = name.toLowerCase(Locale.ROOT).strip();
            if (CATEGORIES.contains(key)) out.add(where + "the name '" + name + "' is a Marketplace category");
            if (GITHUB_FEATURES.contains(key)) out.add(where + "the name '" + name + "' is a GitHub feature");
            if (meta.path("description").asText("").isBlank()) out.add(where + "action.yml has no description");
            if (meta.path("branding").path("icon").asText("").isBlank()) out.add(where + "no branding.icon");
            if (!COLORS.contains(meta.path("branding").path("color").asText(""))) {
                out.add(where + "branding.color '" + meta.path("branding").path("color").asText("") + "' is not one of " + COLORS);
            }
            String image = meta.path("runs").path("image").asText("");
            if (!meta.path("runs").path("using").asText("").equals("docker")
                    || !image.matches("docker://" + Pattern.quote(registry + "/" + action) + "@sha256:[0-9a-f]{64}")) {
                out.add(where + "runs.image '" + image + "' is not docker://" + registry + "/" + action + "@sha256:<digest>");
            }
            JsonSchema schema = actionSchema();
            if (schema != null) {
                schema.validate(meta).forEach(m -> out.add(where + "action.yml against github-action.json: " + m.getMessage()));
            }
            String readme = Files.readString(dir.resolve("README.md"));
            if (readme.isBlank()) out.add(where + "README.md is empty");
            Matcher links = RELATIVE_LINK.matcher(readme);
            while (links.find()) out.add(where + "README.md links to '" + links.group(1) + "', which is not in this repository");
            if (readme.contains("gantry-actions/gantry/actions/")) {
                out.add(where + "README.md names actions by their monorepo path, not gantry-actions/<action>");
            }
            if (Files.mismatch(dir.resolve("LICENSE"), Project.root().resolve("LICENSE")) != -1) {
                out.add(where + "LICENSE is not the project's");
            }
        } catch (IOException e) {
            out.add(where + "cannot read: " + e.getMessage());
        }
        return out;
    }

    /** Across the five repositories: each name is listed once. */
    static List<String> duplicateNames(Map<String, Path> dirs) {
        Map<String, String> seen = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Path> e : dirs.entrySet()) {
            try {
                String name = YAML.readTree(e.getValue().resolve("action.yml").toFile()).path("name").asText("").toLowerCase(Locale.ROOT);
                String other = seen.put(name, e.getKey());
                if (other != null) out.add(e.getKey() + " and " + other + " share the name '" + name + "'");
            } catch (IOException ex) {
                out.add(e.getKey() + ": " + ex.getMessage());
            }
        }
        return out;
    }

    private static JsonSchema actionSchema() throws IOException {
        Path p = Project.sharedFile("specs/schemastore/github-action.json");
        if (!Files.exists(p)) return null;
        try (InputStream in = Files.newInputStream(p)) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
        }
    }
}
