package dev.gantry.common.vercel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gantry.common.http.HttpApi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which Vercel project a folder is linked to, read the way the CLI reads it ({@code getProjectLink} in
 * {@code packages/cli/src/util/projects/link.ts}): the folder's own {@code .vercel/project.json}
 * ({@code vercel link}) first, then the repository's {@code .vercel/repo.json} ({@code vercel link --repo}, one file
 * for every project of a monorepo), whose entry whose {@code directory} is the folder is the link. The walk up to
 * {@code repo.json} stops at {@code top} (the workspace), so nothing outside it is read.
 *
 * <p>The one rule for the owner: an {@code orgId} starting with {@code team_} is a team and goes to the API as
 * {@code teamId}; anything else ({@code usr_...}, {@code user_...}, an old unprefixed user id) is a personal
 * account, which the API addresses without a {@code teamId}.
 *
 * @param projectId the project ({@code prj_...})
 * @param orgId     the owner as the link file names it (team or user), or null
 * @param source    the file it was read from, relative to {@code top}, for messages
 */
public record ProjectLink(String projectId, String orgId, String source) {

    /** A link file that exists but cannot be used. */
    public static final class LinkException extends RuntimeException {
        public LinkException(String message) {
            super(message);
        }
    }

    /** {@code orgId} when it is a team, else null (a personal account). */
    public String teamId() {
        return isTeam(orgId) ? orgId : null;
    }

    /** Whether an owner id names a team ({@code team_...}); user ids do not. */
    public static boolean isTeam(String orgId) {
        return orgId != null && orgId.startsWith("team_");
    }

    /**
     * The link of {@code dir}: its {@code .vercel/project.json}, else the entry for {@code dir} in the nearest
     * {@code .vercel/repo.json} between {@code dir} and {@code top} (both inside the workspace). Empty when there is
     * neither.
     *
     * @throws LinkException when a link file exists but is unreadable or names no project
     */
    public static Optional<ProjectLink> find(Path dir, Path top) {
        Path base = top.toAbsolutePath().normalize();
        Path here = dir.toAbsolutePath().normalize();
        Path own = here.resolve(".vercel/project.json");
        if (Files.isRegularFile(own, LinkOption.NOFOLLOW_LINKS)) {
            JsonNode n = read(own, base);
            String projectId = text(n, "projectId");
            // `vercel pull` in a repo-linked monorepo writes a settings-only project.json: then repo.json decides
            if (projectId != null) return Optional.of(new ProjectLink(projectId, text(n, "orgId"), rel(base, own)));
        }
        for (Path p = here; p != null && p.startsWith(base); p = p.getParent()) {
            Path repo = p.resolve(".vercel/repo.json");
            if (!Files.isRegularFile(repo, LinkOption.NOFOLLOW_LINKS)) continue;
            JsonNode n = read(repo, base);
            String directory = p.relativize(here).toString().replace('\\', '/');
            if (directory.isEmpty()) directory = ".";
            for (JsonNode project : n.path("projects")) {
                if (normal(project.path("directory").asText("")).equals(directory)) {
                    String id = text(project, "id");
                    if (id == null) throw new LinkException(rel(base, repo) + " lists " + directory + " without an id");
                    String org = text(project, "orgId");
                    return Optional.of(new ProjectLink(id, org != null ? org : text(n, "orgId"), rel(base, repo)));
                }
            }
            return Optional.empty(); // the repository's link names no project here (the CLI would ask which)
        }
        return Optional.empty();
    }

    private static String normal(String directory) {
        String d = directory.replace('\\', '/');
        while (d.startsWith("./")) d = d.substring(2);
        while (d.endsWith("/") && d.length() > 1) d = d.substring(0, d.length() - 1);
        return d.isEmpty() ? "." : d;
    }

    private static JsonNode read(Path file, Path base) {
        try {
            JsonNode n = HttpApi.JSON.readTree(file.toFile());
            if (n == null || !n.isObject()) throw new LinkException(rel(base, file) + " is not a JSON object");
            return n;
        } catch (IOException e) {
            throw new LinkException(rel(base, file) + " cannot be read: " + e.getMessage());
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
    }

    private static String rel(Path base, Path file) {
        return file.startsWith(base) ? base.relativize(file).toString().replace('\\', '/') : file.toString();
    }
}
