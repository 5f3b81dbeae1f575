package dev.gantry.common.vercel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileTreeTest {
    @TempDir
    Path root;

    private void write(String name, String content) throws IOException {
        Path p = root.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void collectsWithTheCliRulesAndLeavesEnvFilesOut() throws IOException {
        write("index.html", "<h1>x</h1>");
        write("src/app.js", "1");
        write("node_modules/a/index.js", "1");
        write(".env", "SECRET=1");
        write("api/.env.production", "SECRET=2");
        write(".env.local", "L=1");
        write(".vercelignore", "*.map\n!keep.map\n");
        write("src/app.js.map", "{}");
        write("keep.map", "{}");
        FileTree.Collected c = FileTree.collect(root, false, false);
        assertThat(c.files()).extracting(SourceFile::name)
                .containsExactly(".vercelignore", "index.html", "keep.map", "src/app.js");
        assertThat(c.envFilesExcluded()).containsExactly(".env", "api/.env.production");
        assertThat(c.ignoreFile()).isEqualTo(".vercelignore");
        assertThat(c.files().get(1).mode() & 0170000).isEqualTo(0100000);

        assertThat(FileTree.collect(root, false, true).files()).extracting(SourceFile::name)
                .contains(".env", "api/.env.production").doesNotContain(".env.local");
    }

    @Test
    void bothIgnoreFilesIsAnError() throws IOException {
        write(".vercelignore", "a");
        write(".nowignore", "b");
        assertThatThrownBy(() -> FileTree.collect(root, false, false))
                .isInstanceOf(FileTree.TreeException.class).hasMessageContaining("CONFLICTING_IGNORE_FILES");
    }

    @Test
    void symlinksAreKeptAsLinksAndMayNotLeaveTheRoot() throws IOException {
        write("index.html", "x");
        Files.createSymbolicLink(root.resolve("home.html"), Path.of("index.html"));
        Files.createDirectories(root.resolve("sub"));
        Files.createSymbolicLink(root.resolve("sub/up.html"), Path.of("../index.html"));
        FileTree.Collected c = FileTree.collect(root, false, false);
        SourceFile link = c.files().stream().filter(f -> f.name().equals("home.html")).findFirst().orElseThrow();
        assertThat(link.isSymlink()).isTrue();
        assertThat(link.linkTarget()).isEqualTo("index.html");
        assertThat(link.mode()).isEqualTo(SourceFile.SYMLINK_MODE);
        assertThat(FileHasher.sha1(link)).isEqualTo(FileHasher.sha1("index.html".getBytes()));

        Files.createSymbolicLink(root.resolve("sub/escape"), Path.of("../../etc"));
        assertThatThrownBy(() -> FileTree.collect(root, false, false))
                .isInstanceOf(FileTree.TreeException.class).hasMessageContaining("sub/escape").hasMessageContaining("outside");
        Files.delete(root.resolve("sub/escape"));
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/etc/passwd"));
        assertThatThrownBy(() -> FileTree.collect(root, false, false)).hasMessageContaining("abs");
    }

    @Test
    void prebuiltTakesOnlyTheOutputDirectoryWithItsPrefix() throws IOException {
        write(".vercel/output/config.json", "{}");
        write(".vercel/output/static/index.html", "x");
        write(".vercel/project.json", "{}");
        write("src/a.js", "1");
        assertThat(FileTree.collect(root, true, false).files()).extracting(SourceFile::name)
                .containsExactly(".vercel/output/config.json", ".vercel/output/static/index.html");
        Files.walk(root.resolve(".vercel/output")).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        assertThatThrownBy(() -> FileTree.collect(root, true, false)).hasMessageContaining("vercel build");
    }
}
