package dev.gantry.actiontests.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.gantry.common.testing.LoopbackServer;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks HTTP requests and responses against a provider's OpenAPI 3.0 description in {@code ../shared/specs}:
 * the operation exists for the method and path, declared query parameters only, required ones present, and
 * JSON bodies valid against the operation's request/response schemas. OpenAPI's {@code nullable: true} is
 * turned into JSON Schema's null type before validation (the draft-4 dialect OpenAPI 3.0 schemas are based on).
 */
public final class OpenApiContract {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Path, OpenApiContract> CACHE = new ConcurrentHashMap<>();

    private record Operation(String method, String template, Pattern pattern, int literalLength, JsonNode node,
                             String pointer) {
    }

    private final Path file;
    private final ObjectNode root;
    private final List<Operation> operations = new ArrayList<>();
    private final Map<String, JsonSchema> schemas = new ConcurrentHashMap<>();
    private final JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    private String pathPrefix = "";

    private OpenApiContract(Path file) {
        this.file = file;
        try {
            this.root = (ObjectNode) JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        fixNullable(root);
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> m = p.getValue().fields(); m.hasNext(); ) {
                Map.Entry<String, JsonNode> op = m.next();
                if (!op.getValue().isObject() || op.getKey().equals("parameters")) continue;
                String template = p.getKey();
                String regex = Pattern.quote(template).replaceAll("\\{[^}/]+}", "\\\\E[^/]+\\\\Q");
                operations.add(new Operation(op.getKey().toUpperCase(), template, Pattern.compile(regex),
                        template.replaceAll("\\{[^}]+}", "").length(), op.getValue(),
                        "#/paths/" + escape(template) + "/" + op.getKey()));
            }
        }
    }

    /** The description at {@code specs/<relative>} under ../shared; the calling test is skipped when absent. */
    public static OpenApiContract require(String relative) {
        Path p = Project.sharedFile("specs/" + relative);
        Assumptions.assumeTrue(Files.exists(p), "contract spec not found: " + p);
        return CACHE.computeIfAbsent(p.toAbsolutePath().normalize(), OpenApiContract::new);
    }

    /** A contract that strips {@code prefix} from request paths first (GHES serves the API under /api/v3). */
    public OpenApiContract withPathPrefix(String prefix) {
        OpenApiContract c = new OpenApiContract(file);
        c.pathPrefix = prefix;
        return c;
    }

    /** Problems with one request; empty when it conforms. */
    public List<String> checkRequest(LoopbackServer.RecordedRequest r) {
        return checkRequest(r.method(), r.path(), r.query(), r.header("content-type"), r.body());
    }

    public List<String> checkRequest(String method, String rawPath, String rawQuery, String contentType, byte[] body) {
        List<String> problems = new ArrayList<>();
        String path = strip(rawPath);
        Operation op = find(method, path);
        String where = method + " " + path;
        if (op == null) {
            problems.add(where + ": no such operation in " + file.getFileName());
            return problems;
        }
        Map<String, JsonNode> declared = new LinkedHashMap<>();
        for (JsonNode p : parameters(op)) {
            if (p.path("in").asText().equals("query")) declared.put(p.path("name").asText(), p);
        }
        Map<String, String> query = parseQuery(rawQuery);
        for (Map.Entry<String, String> q : query.entrySet()) {
            JsonNode p = declared.get(q.getKey());
            if (p == null) {
                problems.add(where + ": query parameter '" + q.getKey() + "' is not declared");
            } else if (p.has("schema")) {
                JsonNode value = coerce(q.getValue(), p.get("schema"));
                for (ValidationMessage m : validate(parameterPointer(op, p) + "/schema", value)) {
                    problems.add(where + ": query parameter '" + q.getKey() + "': " + m.getMessage());
                }
            }
        }
        for (Map.Entry<String, JsonNode> d : declared.entrySet()) {
            if (d.getValue().path("required").asBoolean(false) && !query.containsKey(d.getKey())) {
                problems.add(where + ": required query parameter '" + d.getKey() + "' is missing");
            }
        }
        JsonNode rb = resolve(op.node.path("requestBody"));
        boolean hasBody = body != null && body.length > 0;
        if (rb.isMissingNode()) {
            if (hasBody) problems.add(where + ": sends a body, but the operation declares none");
            return problems;
        }
        if (!hasBody) {
            if (rb.path("required").asBoolean(false)) problems.add(where + ": the request body is required");
            return problems;
        }
        JsonNode content = rb.path("content");
        String json = jsonMediaType(content);
        if (json != null && (contentType == null || contentType.contains("json"))) {
            problems.addAll(validateBody(where + " request", refPointer(op.pointer + "/requestBody", op.node.path("requestBody"))
                    + "/content/" + escape(json) + "/schema", body));
        } else if (contentType != null && !content.has(contentType.split(";")[0].trim()) && !content.has("*/*")
                && !content.has("application/octet-stream")) {
            problems.add(where + ": content type " + contentType + " is not one of " + names(content));
        }
        return problems;
    }

    /** Problems with one response; empty when it conforms. */
    public List<String> checkResponse(String method, String rawPath, int status, byte[] body) {
        List<String> problems = new ArrayList<>();
        String path = strip(rawPath);
        Operation op = find(method, path);
        String where = method + " " + path + " → " + status;
        if (op == null) {
            problems.add(where + ": no such operation in " + file.getFileName());
            return problems;
        }
        JsonNode responses = op.node.path("responses");
        String key = responses.has(String.valueOf(status)) ? String.valueOf(status)
                : responses.has((status / 100) + "XX") ? (status / 100) + "XX"
                : responses.has("default") ? "default" : null;
        if (key == null) {
            problems.add(where + ": status not declared (declared: " + names(responses) + ")");
            return problems;
        }
        JsonNode response = resolve(responses.get(key));
        String json = jsonMediaType(response.path("content"));
        if (json == null || body == null || body.length == 0) return problems;
        String base = refPointer(op.pointer + "/responses/" + escape(key), responses.get(key));
        problems.addAll(validateBody(where, base + "/content/" + escape(json) + "/schema", body));
        return problems;
    }

    /** Checks every request a simulator received and every answer it gave. */
    public List<String> checkExchanges(List<LoopbackServer.Exchange> exchanges) {
        List<String> problems = new ArrayList<>();
        for (LoopbackServer.Exchange e : exchanges) {
            problems.addAll(checkRequest(e.request()));
            problems.addAll(checkResponse(e.request().method(), e.request().path(), e.reply().status(), e.reply().body()));
        }
        return problems;
    }

    private List<String> validateBody(String where, String pointer, byte[] body) {
        List<String> problems = new ArrayList<>();
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            problems.add(where + ": body is not JSON: " + e.getMessage());
            return problems;
        }
        for (ValidationMessage m : validate(pointer, node)) {
            problems.add(where + ": " + m.getMessage());
        }
        return problems;
    }

    private java.util.Set<ValidationMessage> validate(String pointer, JsonNode value) {
        JsonSchema schema = schemas.computeIfAbsent(pointer, ptr -> {
            ObjectNode doc = JsonNodeFactory.instance.objectNode();
            doc.set("components", root.path("components"));
            doc.set("paths", root.path("paths"));
            doc.put("$ref", ptr);
            return factory.getSchema(doc);
        });
        return schema.validate(value);
    }

    private Operation find(String method, String path) {
        Operation best = null;
        for (Operation op : operations) {
            if (op.method.equals(method) && op.pattern.matcher(path).matches()
                    && (best == null || op.literalLength > best.literalLength)) {
                best = op;
            }
        }
        return best;
    }

    private List<JsonNode> parameters(Operation op) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : op.node.path("parameters")) out.add(resolve(p));
        return out;
    }

    /** The pointer of a (resolved) parameter of {@code op}, following its {@code $ref}. */
    private String parameterPointer(Operation op, JsonNode resolved) {
        int i = 0;
        for (JsonNode p : op.node.path("parameters")) {
            if (resolve(p) == resolved) return refPointer(op.pointer + "/parameters/" + i, p);
            i++;
        }
        throw new IllegalStateException("parameter not found");
    }

    /** Follows a local {@code $ref}. */
    private JsonNode resolve(JsonNode n) {
        int guard = 0;
        while (n != null && n.has("$ref") && guard++ < 20) {
            n = root.at(n.get("$ref").asText().substring(1));
        }
        return n == null ? JsonNodeFactory.instance.missingNode() : n;
    }

    /** The JSON pointer of what {@code node} (found at {@code pointer}) refers to. */
    private String refPointer(String pointer, JsonNode node) {
        String p = pointer;
        int guard = 0;
        while (node != null && node.has("$ref") && guard++ < 20) {
            p = node.get("$ref").asText();
            node = root.at(p.substring(1));
        }
        return p;
    }

    private String strip(String path) {
        String p = path;
        if (!pathPrefix.isEmpty() && p.startsWith(pathPrefix)) p = p.substring(pathPrefix.length());
        return URLDecoder.decode(p, StandardCharsets.UTF_8);
    }

    private static String jsonMediaType(JsonNode content) {
        for (Iterator<String> it = content.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.contains("json")) return k;
        }
        return null;
    }

    private static JsonNode coerce(String value, JsonNode schema) {
        String type = schema.path("type").asText("");
        try {
            return switch (type) {
                case "integer" -> JsonNodeFactory.instance.numberNode(Long.parseLong(value));
                case "number" -> JsonNodeFactory.instance.numberNode(Double.parseDouble(value));
                case "boolean" -> value.equals("true") || value.equals("false")
                        ? JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(value))
                        : JsonNodeFactory.instance.textNode(value);
                case "array" -> {
                    ArrayNode a = JsonNodeFactory.instance.arrayNode();
                    for (String v : value.split(",")) a.add(coerce(v, schema.path("items")));
                    yield a;
                }
                default -> JsonNodeFactory.instance.textNode(value);
            };
        } catch (NumberFormatException e) {
            return JsonNodeFactory.instance.textNode(value);
        }
    }

    private static Map<String, String> parseQuery(String q) {
        Map<String, String> out = new LinkedHashMap<>();
        if (q == null || q.isEmpty()) return out;
        for (String kv : q.split("&")) {
            if (kv.isEmpty()) continue;
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
            out.merge(k, v, (a, b) -> a + "," + b);
        }
        return out;
    }

    private static String names(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return String.join(", ", out);
    }

    private static String escape(String s) {
        return s.replace("~", "~0").replace("/", "~1");
    }

    /** {@code nullable: true} (OpenAPI 3.0) becomes an explicit null alternative (JSON Schema). */
    private static void fixNullable(JsonNode node) {
        if (node.isArray()) {
            for (JsonNode c : node) fixNullable(c);
            return;
        }
        if (!node.isObject()) return;
        ObjectNode o = (ObjectNode) node;
        for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) fixNullable(it.next());
        if (!o.path("nullable").asBoolean(false)) return;
        o.remove("nullable");
        if (o.has("type") && o.get("type").isTextual()) {
            ArrayNode types = JsonNodeFactory.instance.arrayNode().add(o.get("type").asText()).add("null");
            o.set("type", types);
            if (o.has("enum") && o.get("enum").isArray()) ((ArrayNode) o.get("enum")).addNull();
        } else {
            ObjectNode copy = o.deepCopy();
            o.removeAll();
            ArrayNode any = o.putArray("anyOf");
            any.add(copy);
            any.addObject().put("type", "null");
        }
    }
}
