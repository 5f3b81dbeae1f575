package dev.gantry.dodeploy;

import dev.gantry.common.digitalocean.AppSpec;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The name of a pull request's preview app, the same as digitalocean/app_action's {@code GenerateAppName}: {@code
 * <owner>-<repo>-<pr>-merge}, lower case, {@code / _ .} as {@code -}, cut so that with {@code -} and the first 8 hex
 * digits of its SHA-256 it fits App Platform's 32 characters. Users moving from app_action keep their preview apps.
 */
final class PreviewNames {
    static final int MAX = 32;

    private PreviewNames() {
    }

    static String of(String repository, int pullRequest) {
        String base = (repository.replace('/', '-') + "-" + pullRequest + "/merge").toLowerCase(Locale.ROOT)
                .replace('/', '-').replace('_', '-').replace('.', '-').replace(":", "");
        String suffix = "-" + sha256(base).substring(0, 8);
        String name = base.substring(0, Math.min(base.length(), MAX - suffix.length())) + suffix;
        if (!AppSpec.NAME.matcher(name).matches()) {
            // an owner starting with a digit: App Platform names must start with a letter
            String b = ("pr-" + base).replaceAll("[^a-z0-9-]", "");
            name = b.substring(0, Math.min(b.length(), MAX - suffix.length())) + suffix;
        }
        return name;
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
