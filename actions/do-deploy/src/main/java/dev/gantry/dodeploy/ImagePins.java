package dev.gantry.dodeploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gantry.common.action.InputException;
import dev.gantry.common.digitalocean.AppSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code images} input: one {@code component=repository:tag} or {@code component=repository@sha256:<hex>} per
 * line ({@code component=:tag} or {@code component=@sha256:…} keep the spec's repository). A digest pins exactly
 * one image, which is also what lets a rollback restore it. Also digitalocean/app_action v2's pins by environment
 * ({@link #fromEnvironment}), and v1's JSON {@code images}, refused with the lines to write instead.
 */
final class ImagePins {
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    /** The OCI digest grammar: algorithm (lower-case components) and a hex-like encoded part. */
    private static final Pattern ANY_DIGEST = Pattern.compile("[a-z0-9]+([+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+([._/-][a-z0-9]+)*");

    private ImagePins() {
    }

    static Map<String, AppSpec.ImageRef> parse(String input, List<String> lines) {
        if (!lines.isEmpty() && lines.get(0).startsWith("[")) throw v1Json(input, String.join("\n", lines));
        Map<String, AppSpec.ImageRef> out = new LinkedHashMap<>();
        for (String line : lines) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw InputException.invalid(input, "lines must be component=repository:tag or "
                        + "component=repository@sha256:<digest> (got '" + line + "')");
            }
            String component = line.substring(0, eq).trim();
            String ref = line.substring(eq + 1).trim();
            String repository;
            String tag = null;
            String digest = null;
            int at = ref.indexOf('@');
            if (at >= 0) {
                repository = ref.substring(0, at);
                digest = ref.substring(at + 1);
                if (!DIGEST.matcher(digest).matches()) {
                    throw InputException.invalid(input, "has a bad digest for " + component + ": '" + digest
                            + "' (expected sha256: and 64 lower-case hex digits)");
                }
            } else {
                int colon = ref.lastIndexOf(':');
                if (colon < 0 || colon < ref.lastIndexOf('/')) {
                    throw InputException.invalid(input, "needs a tag or a digest for " + component + " (got '" + ref
                            + "'; write " + component + "=" + ref + ":<tag> or " + component + "=" + ref
                            + "@sha256:<digest>)");
                }
                repository = ref.substring(0, colon);
                tag = ref.substring(colon + 1);
                if (!TAG.matcher(tag).matches()) {
                    throw InputException.invalid(input, "has a bad tag for " + component + ": '" + tag + "'");
                }
            }
            if (!repository.isEmpty() && !REPOSITORY.matcher(repository).matches()) {
                throw InputException.invalid(input, "has a bad repository for " + component + ": '" + repository
                        + "' (the repository as in the spec's image.repository, e.g. acme/web)");
            }
            if (out.put(component, new AppSpec.ImageRef(repository.isEmpty() ? null : repository, tag, digest)) != null) {
                throw InputException.invalid(input, "names component " + component + " twice");
            }
        }
        return out;
    }

    /**
     * digitalocean/app_action v1's {@code images}: a JSON array of {@code {name, image: {repository, tag|digest}}}
     * (or the older {@code {name, repository, tag}}). Refused, showing the same pins as lines.
     */
    private static InputException v1Json(String input, String json) {
        StringBuilder lines = new StringBuilder();
        try {
            for (JsonNode e : new ObjectMapper().readTree(json)) {
                JsonNode img = e.path("image").isObject() ? e.path("image") : e;
                String repo = img.path("repository").asText("");
                String ref = img.hasNonNull("digest") ? "@" + img.path("digest").asText() : ":" + img.path("tag").asText("latest");
                lines.append("\n    ").append(e.path("name").asText("?")).append('=').append(repo).append(ref);
            }
        } catch (java.io.IOException | RuntimeException ignored) {
            lines.setLength(0);
        }
        return InputException.invalid(input, "is JSON, as digitalocean/app_action v1 wrote it; do-deploy takes one "
                + "component=repository:tag (or @sha256:digest) per line" + (lines.isEmpty()
                ? "." : ". Write\n  images: |" + lines));
    }

    /**
     * app_action v2's image override by environment: for each image component, {@code IMAGE_DIGEST_<NAME>} (else
     * {@code IMAGE_TAG_<NAME>}) where NAME is the component's name upper case, {@code -} as {@code _}. The digest
     * clears the tag and the reverse, as there. Returns the pins by component, with the variable each came from.
     */
    static Map<String, Pin> fromEnvironment(AppSpec spec, Map<String, String> env) {
        Map<String, Pin> out = new LinkedHashMap<>();
        for (AppSpec.Component c : spec.components()) {
            if (!c.hasImage()) continue;
            String suffix = c.name().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            String digest = env.get("IMAGE_DIGEST_" + suffix);
            String tag = env.get("IMAGE_TAG_" + suffix);
            if (digest != null) {
                if (!ANY_DIGEST.matcher(digest).matches()) {
                    throw new InputException(null, "Environment variable IMAGE_DIGEST_" + suffix + " is not an image "
                            + "digest (algorithm:hex, e.g. sha256:...): '" + digest + "'");
                }
                out.put(c.name(), new Pin(new AppSpec.ImageRef(null, null, digest), "IMAGE_DIGEST_" + suffix));
            } else if (tag != null) {
                if (!TAG.matcher(tag).matches()) {
                    throw new InputException(null, "Environment variable IMAGE_TAG_" + suffix + " is not an image tag: '"
                            + tag + "'");
                }
                out.put(c.name(), new Pin(new AppSpec.ImageRef(null, tag, null), "IMAGE_TAG_" + suffix));
            }
        }
        return out;
    }

    /** A pin and where it came from. */
    record Pin(AppSpec.ImageRef ref, String source) {
    }

    static AppSpec apply(String input, AppSpec spec, Map<String, AppSpec.ImageRef> pins) {
        AppSpec s = spec;
        for (Map.Entry<String, AppSpec.ImageRef> e : pins.entrySet()) {
            try {
                s = s.withImage(e.getKey(), e.getValue());
            } catch (IllegalArgumentException ex) {
                throw InputException.invalid(input, "cannot pin " + e.getKey() + ": " + ex.getMessage());
            }
        }
        return s;
    }
}
