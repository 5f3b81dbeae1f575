package dev.gantry.common.vercel;

/**
 * One entry of the {@code files} list: uploaded ({@code file, sha, size, mode}) or inline
 * ({@code file, data, encoding}; the API rejects {@code sha}/{@code size} on those).
 */
public record DeploymentFile(String file, String sha, Long size, Integer mode, String data, String encoding) {

    public static DeploymentFile uploaded(String file, String sha, long size, int mode) {
        return new DeploymentFile(file, sha, size, mode, null, null);
    }

    public static DeploymentFile inline(String file, String base64) {
        return new DeploymentFile(file, null, null, null, base64, "base64");
    }
}
