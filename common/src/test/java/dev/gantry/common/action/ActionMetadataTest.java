package dev.gantry.common.action;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class ActionMetadataTest {

    @Test
    void readsTheActionYmlOfTheAnchorsOwnJarNotTheFirstOnTheClasspath(@TempDir Path dir) throws Exception {
        Path other = jar(dir.resolve("other.jar"), "name: other\n", null);
        Path mine = jar(dir.resolve("mine.jar"), "name: mine\ninputs:\n  url:\n    description: u\n    default: 'x'\n",
                "dev/gantry/common/action/ActionMetadataTest$Anchor.class");
        try (URLClassLoader loader = new URLClassLoader(new URL[]{other.toUri().toURL(), mine.toUri().toURL()}, null)) {
            Class<?> anchor = loader.loadClass("dev.gantry.common.action.ActionMetadataTest$Anchor");
            ActionMetadata md = ActionMetadata.fromClasspath(anchor);
            assertThat(md.name()).isEqualTo("mine");
            assertThat(md.inputs().get("url").defaultValue()).isEqualTo("x");
        }
    }

    /** A class with no dependencies, copied into a test jar. */
    static final class Anchor {
    }

    private static Path jar(Path file, String actionYml, String classEntry) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(file))) {
            out.putNextEntry(new JarEntry("action.yml"));
            out.write(actionYml.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            if (classEntry != null) {
                out.putNextEntry(new JarEntry(classEntry));
                try (var in = ActionMetadataTest.class.getResourceAsStream("/" + classEntry)) {
                    out.write(in.readAllBytes());
                }
                out.closeEntry();
            }
        }
        return file;
    }
}
