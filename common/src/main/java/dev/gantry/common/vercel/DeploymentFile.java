package dev.gantry.common.vercel;

/**
 * One entry of the {@code files} list, as the CLI's {@code prepareFiles} writes it: uploaded
 * ({@code file, sha, size, mode}), inline ({@code file, data, encoding, mode}; the API rejects {@code sha}/{@code size}
 * on those) or a directory with nothing in it ({@code file, mode} only).
 */
public record DeploymentFile(String file, String sha, Long size, Integer mode, String data, String encoding) {

    public static DeploymentFile uploaded(String file, String sha, long size, int mode) {
        return new DeploymentFile(file, sha, size, mode, null, null);
    }

    public static DeploymentFile inline(String file, String base64, int mode) {
        return new DeploymentFile(file, null, null, mode, base64, "base64");
    }

    public static DeploymentFile directory(String file, int mode) {
        return new DeploymentFile(file, null, null, mode, null, null);
    }
}
