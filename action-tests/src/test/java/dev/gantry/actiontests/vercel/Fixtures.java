package dev.gantry.actiontests.vercel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Small project trees for the deploy tests. */
final class Fixtures {
    private Fixtures() {
    }

    static Path write(Path root, Map<String, String> files) {
        try {
            for (Map.Entry<String, String> e : files.entrySet()) {
                Path p = root.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, e.getValue());
            }
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A static site with JS and CSS (so it takes the upload path), one duplicate, and things the CLI ignores. */
    static Path site(Path root) {
        return write(root, Map.of(
                "index.html", "<!doctype html><title>shop</title><script src=app.js></script>",
                "about.html", "<!doctype html><title>about</title>",
                "app.js", "console.log('shop');\n",
                "assets/app-copy.js", "console.log('shop');\n",
                "style.css", "body { margin: 0 }\n",
                "node_modules/left-pad/index.js", "module.exports = 1;\n",
                ".git/HEAD", "ref: refs/heads/main\n",
                ".vercelignore", "drafts/\n",
                "drafts/secret-plan.md", "# not for the web\n"));
    }

    /**
     * The seeds' monorepo: two Next.js apps that are separate Vercel projects, a shared package, committed env
     * templates, a real .env, an empty folder, and the root's own vercel.json.
     */
    static Path monorepo(Path root) {
        write(root, Map.of(
                "package.json", "{\"name\": \"m3corecrm\", \"private\": true, \"workspaces\": [\"apps/*\", \"packages/*\"]}",
                "apps/crm-dashboard/package.json", "{\"name\": \"crm-dashboard\", \"engines\": {\"node\": \"22.x\"}}",
                "apps/crm-dashboard/pages/index.js", "export default () => 'crm';\n",
                "apps/crm-dashboard/vercel.json", "{\"cleanUrls\": true, \"regions\": [\"fra1\"], \"buildCommand\": \"npm run build\", "
                        + "\"headers\": [{\"source\": \"/(.*)\", \"headers\": [{\"key\": \"X-Frame-Options\", \"value\": \"DENY\"}]}]}",
                "apps/crm-dashboard/.env.example", "DATABASE_URL=postgres://user:password@localhost/crm\n",
                "apps/crm-dashboard/.env", "DATABASE_URL=postgres://real:secret@db/crm\n",
                "apps/marketing-site/package.json", "{\"name\": \"marketing-site\"}",
                "apps/marketing-site/pages/index.js", "export default () => 'hello';\n",
                "packages/ui/index.js", "export const Button = 1;\n",
                "packages/ui/node_modules/x/index.js", "ignored\n"));
        try {
            Files.createDirectories(root.resolve("apps/crm-dashboard/public/uploads"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return root;
    }
}
