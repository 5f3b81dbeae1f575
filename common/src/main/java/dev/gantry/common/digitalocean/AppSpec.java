package dev.gantry.common.digitalocean;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An app spec ({@code models/app_spec.yml}; YAML and JSON share field names). The spec has many more fields than
 * Gantry touches (ingress, databases, log destinations, ...), so it is kept as the JSON tree it came from and
 * every field round-trips unchanged; the methods here are the typed edits the actions make. Instances are
 * immutable: every edit returns a new spec.
 */
public final class AppSpec {
    /** App and component names: {@code ^[a-z][a-z0-9-]{0,30}[a-z0-9]$}. */
    public static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9-]{0,30}[a-z0-9]$");
    /** Env var keys: {@code ^[_A-Za-z][_A-Za-z0-9]*$}. */
    public static final Pattern ENV_KEY = Pattern.compile("^[_A-Za-z][_A-Za-z0-9]*$");
    /** Component lists; services, static sites and functions are reachable over HTTP. */
    public static final List<String> COMPONENT_KINDS = List.of("services", "static_sites", "workers", "jobs", "functions");
    private static final List<String> HTTP_KINDS = List.of("services", "static_sites", "functions");

    private final ObjectNode node;

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public AppSpec(ObjectNode node) {
        this.node = Objects.requireNonNull(node, "spec").deepCopy();
    }

    public static AppSpec of(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("an app spec must be a mapping (an object), got "
                    + (node == null ? "nothing" : node.getNodeType().toString().toLowerCase()));
        }
        return new AppSpec((ObjectNode) node);
    }

    /** A copy of the tree. */
    @JsonValue
    public ObjectNode json() {
        return node.deepCopy();
    }

    public String name() {
        JsonNode n = node.get("name");
        return n == null || n.isNull() ? null : n.asText();
    }

    /** One component of the spec. */
    public record Component(String kind, String name, boolean hasImage, boolean http) {
    }

    public List<Component> components() {
        List<Component> out = new ArrayList<>();
        for (String kind : COMPONENT_KINDS) {
            for (JsonNode c : node.path(kind)) {
                out.add(new Component(kind, c.path("name").asText(""), c.path("image").isObject(),
                        HTTP_KINDS.contains(kind)));
            }
        }
        return out;
    }

    /** Whether the app gets a URL once live: it has a service, a static site or functions. */
    public boolean hasHttpComponents() {
        return components().stream().anyMatch(Component::http);
    }

    /** An image to run: repository (null keeps the spec's), and exactly one of tag or digest. */
    public record ImageRef(String repository, String tag, String digest) {
        public String describe() {
            return (repository == null ? "" : repository) + (digest != null ? "@" + digest : ":" + tag);
        }
    }

    /**
     * Pins the image of component {@code component}: sets {@code tag} and clears {@code digest}, or the reverse.
     *
     * @throws IllegalArgumentException when there is no such component or it is not built from an image
     */
    public AppSpec withImage(String component, ImageRef ref) {
        ObjectNode c = node.deepCopy();
        ObjectNode comp = findComponent(c, component);
        if (comp == null) {
            throw new IllegalArgumentException("the spec has no component named '" + component + "' (components: "
                    + String.join(", ", components().stream().map(Component::name).toList()) + ")");
        }
        if (!comp.path("image").isObject()) {
            throw new IllegalArgumentException("component '" + component + "' is built from source, not from an "
                    + "image; only image components can be pinned");
        }
        ObjectNode image = (ObjectNode) comp.get("image");
        if (ref.repository() != null && !ref.repository().isBlank()) image.put("repository", ref.repository());
        if (ref.digest() != null) {
            image.put("digest", ref.digest());
            image.remove("tag");
        } else {
            image.put("tag", ref.tag());
            image.remove("digest");
        }
        return new AppSpec(c);
    }

    /** The image of a component, or null. */
    public JsonNode image(String component) {
        ObjectNode comp = findComponent(node, component);
        return comp == null ? null : comp.get("image");
    }

    /**
     * Merges app-level env vars: each becomes {@code {key, value, scope: RUN_TIME, type: SECRET}}, replacing an
     * entry with the same key.
     */
    public AppSpec withSecretEnvs(Map<String, String> values) {
        ObjectNode c = node.deepCopy();
        ArrayNode envs = c.path("envs").isArray() ? (ArrayNode) c.get("envs") : c.putArray("envs");
        for (Map.Entry<String, String> e : values.entrySet()) {
            for (int i = envs.size() - 1; i >= 0; i--) {
                if (e.getKey().equals(envs.get(i).path("key").asText())) envs.remove(i);
            }
            ObjectNode v = envs.addObject();
            v.put("key", e.getKey());
            v.put("value", e.getValue());
            v.put("scope", "RUN_TIME");
            v.put("type", "SECRET");
        }
        return new AppSpec(c);
    }

    /**
     * The spec of a per-pull-request preview app: renamed, without domains and alerts, and every {@code github}
     * source of {@code repository} following {@code branch} without deploy-on-push.
     */
    public AppSpec forPreview(String previewName, String repository, String branch) {
        ObjectNode c = node.deepCopy();
        c.put("name", previewName);
        c.remove("domains");
        c.remove("alerts");
        for (String kind : COMPONENT_KINDS) {
            for (JsonNode comp : c.path(kind)) {
                JsonNode gh = comp.path("github");
                if (gh.isObject() && gh.path("repo").asText("").equalsIgnoreCase(repository)) {
                    ((ObjectNode) gh).put("branch", branch);
                    ((ObjectNode) gh).put("deploy_on_push", false);
                }
            }
        }
        return new AppSpec(c);
    }

    /** A copy without secret values: values of {@code SECRET} envs (app and components), registry credentials. */
    public AppSpec withoutSecrets() {
        ObjectNode c = node.deepCopy();
        stripEnvs(c.path("envs"));
        for (String kind : COMPONENT_KINDS) {
            for (JsonNode comp : c.path(kind)) {
                stripEnvs(comp.path("envs"));
                if (comp.path("image").isObject()) ((ObjectNode) comp.get("image")).remove("registry_credentials");
            }
        }
        return new AppSpec(c);
    }

    private static void stripEnvs(JsonNode envs) {
        for (JsonNode e : envs) {
            if (e.isObject() && ("SECRET".equals(e.path("type").asText())
                    || e.path("value").asText("").startsWith("EV["))) {
                ((ObjectNode) e).remove("value");
            }
        }
    }

    private static ObjectNode findComponent(ObjectNode spec, String name) {
        for (String kind : COMPONENT_KINDS) {
            for (JsonNode comp : spec.path(kind)) {
                if (comp.isObject() && name.equals(comp.path("name").asText())) return (ObjectNode) comp;
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AppSpec s && s.node.equals(node);
    }

    @Override
    public int hashCode() {
        return node.hashCode();
    }

    @Override
    public String toString() {
        return withoutSecrets().node.toString();
    }
}
