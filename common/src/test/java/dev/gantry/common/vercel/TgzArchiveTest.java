package dev.gantry.common.vercel;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class TgzArchiveTest {
    @TempDir
    Path root;
    @TempDir
    Path out;

    @Test
    void partsConcatenateToATarballOfTheTree() throws IOException {
        Files.createDirectories(root.resolve("a"));
        byte[] noise = new byte[300_000];
        new Random(7).nextBytes(noise);
        Files.write(root.resolve("a/noise.bin"), noise);
        Files.writeString(root.resolve("index.html"), "<h1>x</h1>");
        Path script = root.resolve("run.sh");
        Files.writeString(script, "#!/bin/sh\n");
        script.toFile().setExecutable(true);
        Files.createSymbolicLink(root.resolve("link.html"), Path.of("index.html"));
        List<SourceFile> files = FileTree.collect(root, false, false).files();

        List<TgzArchive.Part> parts = TgzArchive.write(files, out, 100_000);
        assertThat(parts).hasSizeGreaterThan(2);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i = 0; i < parts.size(); i++) {
            TgzArchive.Part p = parts.get(i);
            assertThat(p.name()).isEqualTo(".vercel/source.tgz.part" + (i + 1));
            byte[] bytes = Files.readAllBytes(p.path());
            assertThat(bytes.length).isEqualTo(p.size());
            assertThat(FileHasher.sha1(bytes)).isEqualTo(p.sha());
            if (i < parts.size() - 1) assertThat(p.size()).isEqualTo(100_000);
            all.write(bytes);
        }
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(all.toByteArray())))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                entries.put(e.getName(), e);
                contents.put(e.getName(), tar.readAllBytes());
            }
        }
        assertThat(entries.keySet()).containsExactly("a/noise.bin", "index.html", "link.html", "run.sh");
        assertThat(contents.get("a/noise.bin")).isEqualTo(noise);
        assertThat(entries.get("link.html").isSymbolicLink()).isTrue();
        assertThat(entries.get("link.html").getLinkName()).isEqualTo("index.html");
        assertThat(entries.get("run.sh").getMode() & 0100).isNotZero();
    }
}
