package dev.gantry.verceldeploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.common.action.InputException;
import dev.gantry.common.http.HttpApi;
import dev.gantry.common.vercel.Project;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the CLI takes from the deployed tree for the create call ({@code commands/deploy/index.ts} and
 * {@code Now#create}): the keys of {@code vercel.json} (the one in the Root Directory when the project has one),
 * copied to the top level of the body except {@code images}, {@code scope}, {@code github} and {@code public};
 * {@code env}, {@code build.env} and {@code regions} merged under the step's own; {@code projectSettings} with the
 * project's Root Directory settings and the build settings of {@code vercel.json} (none when it has
 * {@code builds}); {@code nodeVersion} from the nearest {@code package.json}'s {@code engines.node}.
 *
 * @param file            the vercel.json read, relative to the deploy root, or null
 * @param config          its keys as copied to the body
 * @param projectSettings as the CLI builds it
 * @param warnings        what the CLI would warn about too
 */
record LocalConfig(String file, Map<String, JsonNode> config, Map<String, String> env, Map<String, String> buildEnv,
                   List<String> regions, Map<String, String> meta, ObjectNode projectSettings, List<String> warnings) {
    /** Removed by the CLI ({@code images: undefined}, {@code delete scope/github/public}). */
    static final Set<String> DROPPED = Set.of("images", "scope", "github", "public");
    /** Written by the create call itself, over the copied keys. */
    static final Set<String> OURS = Set.of("env", "build", "name", "project", "meta", "gitMetadata", "regions", "target",
            "projectSettings", "source", "actor", "autoAssignCustomDomains", "files", "customEnvironmentSlugOrId");
    private static final String[][] OVERRIDES = {{"buildCommand", "buildCommand"}, {"devCommand", "devCommand"},
            {"framework", "framework"}, {"ignoreCommand", "commandForIgnoringBuildStep"},
            {"installCommand", "installCommand"}, {"outputDirectory", "outputDirectory"}};

    static LocalConfig read(Path root, Project project) {
        List<String> warnings = new ArrayList<>();
        String rd = project.rootDirectoryOrNull();
        Path projectDir = rd == null ? root : root.resolve(rd);
        String file = Files.isRegularFile(projectDir.resolve("vercel.json")) ? rel(root, projectDir.resolve("vercel.json"))
                : Files.isRegularFile(root.resolve("vercel.json")) ? "vercel.json" : null;
        if (rd != null && "vercel.json".equals(file)) {
            warnings.add("The vercel.json file should be inside of the provided root directory (" + rd + "); it is read "
                    + "from the deploy root, as the Vercel CLI reads it");
        }
        ObjectNode json = file == null ? JsonNodeFactory.instance.objectNode() : parse(root.resolve(file), file);
        Map<String, JsonNode> config = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!DROPPED.contains(e.getKey()) && !OURS.contains(e.getKey())) config.put(e.getKey(), e.getValue());
        }
        ObjectNode settings = JsonNodeFactory.instance.objectNode();
        if (!json.path("builds").isArray() || json.path("builds").isEmpty()) {
            settings.put("sourceFilesOutsideRootDirectory", project.sourceFilesOutsideRootDirectory() == null
                    || project.sourceFilesOutsideRootDirectory());
            if (project.rootDirectory() == null) settings.putNull("rootDirectory");
            else settings.put("rootDirectory", project.rootDirectory());
            for (String[] o : OVERRIDES) if (json.has(o[0])) settings.set(o[1], json.get(o[0]));
        }
        nodeVersion(projectDir, root, warnings).ifPresent(v -> settings.put("nodeVersion", v));
        return new LocalConfig(file, config, strings(json.get("env"), file, "env"),
                strings(json.path("build").get("env"), file, "build.env"), regions(json.get("regions"), file),
                meta(json.get("meta")), settings, List.copyOf(warnings));
    }

    private static ObjectNode parse(Path p, String shown) {
        JsonNode n;
        try {
            n = HttpApi.JSON.readTree(p.toFile());
        } catch (IOException e) {
            throw bad(shown + " is not valid JSON: " + e.getMessage());
        }
        if (n == null || !n.isObject()) throw bad(shown + " must hold a JSON object");
        JsonNode version = n.get("version");
        if (version != null && !(version.isNumber() && version.asInt() == 2)) {
            throw bad("The value of the version property within " + shown + " can only be 2 (the Vercel CLI refuses it too)");
        }
        if (n.has("build") && !n.get("build").isObject()) throw bad("The build property in " + shown + " needs to be an object");
        return (ObjectNode) n;
    }

    private static Map<String, String> strings(JsonNode n, String file, String what) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) return out;
        if (!n.isObject()) throw bad("The " + what + " property in " + file + " needs to be an object");
        n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString()));
        return out;
    }

    private static List<String> regions(JsonNode n, String file) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) return out;
        if (!n.isArray()) throw bad("The regions property in " + file + " needs to be a list");
        n.forEach(r -> out.add(r.asText()));
        return out;
    }

    /** The CLI's {@code parseMeta}: a list of {@code KEY=VALUE}; an object of strings is taken as it is. */
    private static Map<String, String> meta(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null) return out;
        if (n.isTextual()) n = JsonNodeFactory.instance.arrayNode().add(n.asText());
        if (n.isArray()) {
            for (JsonNode kv : n) {
                String s = kv.asText();
                int eq = s.indexOf('=');
                if (eq > 0) out.put(s.substring(0, eq), s.substring(eq + 1));
            }
        } else if (n.isObject()) {
            n.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    /** {@code scanParentDirs(<root>/<Root Directory>, true, <root>)}: the nearest package.json up to the root. */
    private static java.util.Optional<String> nodeVersion(Path from, Path root, List<String> warnings) {
        for (Path p = from; p != null && p.startsWith(root); p = p.getParent()) {
            Path pkg = p.resolve("package.json");
            if (!Files.isRegularFile(pkg)) continue;
            try {
                JsonNode engines = HttpApi.JSON.readTree(pkg.toFile()).path("engines").path("node");
                if (!engines.isTextual()) return java.util.Optional.empty();
                java.util.Optional<String> v = NodeVersion.forEngines(engines.asText());
                if (v.isEmpty()) {
                    warnings.add("Found invalid or discontinued Node.js Version: \"" + engines.asText() + "\" in "
                            + rel(root, pkg) + "; Vercel picks the project's Node.js version");
                }
                return v;
            } catch (IOException e) {
                warnings.add(rel(root, pkg) + " cannot be read: " + e.getMessage());
                return java.util.Optional.empty();
            }
        }
        return java.util.Optional.empty();
    }

    private static InputException bad(String problem) {
        return new InputException("working-directory", problem);
    }

    private static String rel(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }
}
