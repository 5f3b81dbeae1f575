package dev.gantry.dodeploy;

import dev.gantry.common.action.InputException;
import dev.gantry.common.digitalocean.AppSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code images} input: one {@code component=repository:tag} or {@code component=repository@sha256:<hex>} per
 * line ({@code component=:tag} or {@code component=@sha256:…} keep the spec's repository). A digest pins exactly
 * one image, which is also what lets a rollback restore it.
 */
final class ImagePins {
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+([._/-][a-z0-9]+)*");

    private ImagePins() {
    }

    static Map<String, AppSpec.ImageRef> parse(String input, List<String> lines) {
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
