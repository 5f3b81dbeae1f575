package dev.gantry.common.action;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkspaceTest {
    @TempDir
    Path root;

    @Test
    void pathsInsideAreResolvedAndOutsideAreRefused() throws IOException {
        Path ws = Files.createDirectories(root.resolve("ws"));
        Files.createDirectories(ws.resolve("a"));
        Path outside = Files.createDirectories(root.resolve("secret"));
        Files.createSymbolicLink(ws.resolve("link"), outside);
        Files.createSymbolicLink(ws.resolve("inner"), ws.resolve("a"));

        assertThat(Workspace.resolve(ws, "app-spec", ".do/app.yaml")).isEqualTo(ws.toRealPath().resolve(".do/app.yaml"));
        assertThat(Workspace.resolve(ws, "dir", "inner/x.txt")).isEqualTo(ws.toRealPath().resolve("a/x.txt"));
        assertThat(Workspace.resolve(ws, "dir", "a/../a/b")).isEqualTo(ws.toRealPath().resolve("a/b"));
        assertThatThrownBy(() -> Workspace.resolve(ws, "junit-path", "../escape.xml"))
                .isInstanceOf(InputException.class).hasMessageContaining("junit-path").hasMessageContaining("leaves it");
        assertThatThrownBy(() -> Workspace.resolve(ws, "app-spec", "/etc/passwd"))
                .isInstanceOf(InputException.class).hasMessageContaining("app-spec");
        assertThatThrownBy(() -> Workspace.resolve(ws, "migrations-dir", "link/migrations"))
                .isInstanceOf(InputException.class).hasMessageContaining("symbolic link");
    }
}
