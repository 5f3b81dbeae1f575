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
}
