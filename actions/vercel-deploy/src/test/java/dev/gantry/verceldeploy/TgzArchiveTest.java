package dev.gantry.verceldeploy;

import dev.gantry.common.vercel.FileHasher;
import dev.gantry.common.vercel.FileTree;
import dev.gantry.common.vercel.SourceFile;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TgzArchiveTest {
    static final long MTIME = 1_700_000_000L;

    @TempDir
    Path root;
    @TempDir
    Path out;

    static final String DEEP = String.join("/", "a".repeat(59), "b".repeat(59), "c".repeat(59), "d".repeat(59), "e".repeat(56) + ".txt");
    static final String NON_ASCII = "données/ünïcødé 日本語.txt";
    byte[] noise;
    byte[] block;

    /** A tree with what the tar format has edge cases for; returns it collected as the deploy would. */
    List<SourceFile> tree() throws IOException {
        Files.createDirectories(root.resolve("a"));
        noise = new byte[300_000];
        new Random(7).nextBytes(noise);
        Files.write(root.resolve("a/noise.bin"), noise);
        Files.writeString(root.resolve("index.html"), "<h1>x</h1>");
        Path script = root.resolve("run.sh");
        Files.writeString(script, "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path secret = root.resolve("private.txt");
        Files.writeString(secret, "only me\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(root.resolve("link.html"), Path.of("index.html"));
        Files.write(root.resolve("empty.txt"), new byte[0]);
        block = new byte[512];
        new Random(8).nextBytes(block);
        Files.write(root.resolve("block.bin"), block);
        Files.createDirectories(root.resolve(DEEP).getParent());
        Files.writeString(root.resolve(DEEP), "deep down\n");
        Files.createSymbolicLink(root.resolve("deep-link"), Path.of(DEEP)); // a 300-byte target
        if (utf8FileNames()) {
            Files.createDirectories(root.resolve(NON_ASCII).getParent());
            Files.writeString(root.resolve(NON_ASCII), "ça marche\n");
        }
        return FileTree.collect(root, false, false).files();
    }

    static boolean utf8FileNames() {
        boolean ok = "UTF-8".equals(System.getProperty("sun.jnu.encoding"));
        if (!ok) System.out.println("SKIP non-ASCII file names: sun.jnu.encoding is " + System.getProperty("sun.jnu.encoding"));
        return ok;
    }

    static byte[] concat(List<TgzArchive.Part> parts) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (TgzArchive.Part p : parts) all.write(Files.readAllBytes(p.path()));
        return all.toByteArray();
    }

    @Test
    void partsConcatenateToATarballOfTheTree() throws IOException {
        List<SourceFile> files = tree();
        List<TgzArchive.Part> parts = TgzArchive.write(files, out, 100_000, 1, MTIME);
        assertThat(parts).hasSizeGreaterThan(2);
        for (int i = 0; i < parts.size(); i++) {
            TgzArchive.Part p = parts.get(i);
            assertThat(p.name()).isEqualTo(".vercel/source.tgz.part" + (i + 1));
            assertThat(p.path()).isEqualTo(out.resolve("source.tgz.part" + (i + 1)));
            byte[] bytes = Files.readAllBytes(p.path());
            assertThat(bytes.length).isEqualTo(p.size());
            assertThat(FileHasher.sha1(bytes)).isEqualTo(p.sha());
            if (i < parts.size() - 1) assertThat(p.size()).isEqualTo(100_000);
        }
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new GzipCompressorInputStream(new ByteArrayInputStream(concat(parts))), "UTF-8")) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                assertThat(e.isCheckSumOK()).isTrue();
                entries.put(e.getName(), e);
                contents.put(e.getName(), tar.readAllBytes());
            }
        }
        assertThat(entries.keySet()).containsExactlyElementsOf(files.stream().map(SourceFile::name).toList());
        assertThat(entries.keySet()).contains("a/noise.bin", "index.html", "link.html", "run.sh", "empty.txt", DEEP);
        assertThat(contents.get("a/noise.bin")).isEqualTo(noise);
        assertThat(contents.get("block.bin")).isEqualTo(block);
        assertThat(contents.get("empty.txt")).isEmpty();
        assertThat(new String(contents.get(DEEP), StandardCharsets.UTF_8)).isEqualTo("deep down\n");
        assertThat(entries.get("link.html").isSymbolicLink()).isTrue();
        assertThat(entries.get("link.html").getLinkName()).isEqualTo("index.html");
        assertThat(entries.get("deep-link").getLinkName()).isEqualTo(DEEP);
        assertThat(entries.get("run.sh").getMode()).isEqualTo(0755);
        assertThat(entries.get("private.txt").getMode()).isEqualTo(0600);
        assertThat(entries.get("index.html").getMode()).isEqualTo(0644);
        assertThat(entries.get("link.html").getMode()).isEqualTo(0777); // permission bits only, as tar-stream (the CLI's) writes them
        for (TarArchiveEntry e : entries.values()) {
            assertThat(e.getLastModifiedTime().toInstant().getEpochSecond()).isEqualTo(MTIME);
            assertThat(e.getLongUserId()).isZero();
            assertThat(e.getLongGroupId()).isZero();
            assertThat(e.getUserName()).isEmpty();
            assertThat(e.getGroupName()).isEmpty();
        }
        if (utf8FileNames()) assertThat(new String(contents.get(NON_ASCII), StandardCharsets.UTF_8)).isEqualTo("ça marche\n");
    }

    @Test
    void theSystemTarExtractsTheSameTree() throws IOException {
        List<SourceFile> files = tree();
        Path tgz = out.resolve("all.tgz");
        Files.write(tgz, concat(TgzArchive.write(files, out.resolve("parts"), 64 * 1024, 1, MTIME)));
        SystemTar.assumeAvailable();

        String listing = SystemTar.run("-tvzf", tgz.toString()).ok().out();
        assertThat(listing.lines()).hasSize(files.size());
        assertThat(listing).contains("-rwxr-xr-x 0/0").contains(" run.sh\n").contains(" link.html -> index.html\n")
                .contains(" deep-link -> " + DEEP + "\n").contains(" " + DEEP + "\n");

        Path into = out.resolve("x");
        Files.createDirectories(into);
        SystemTar.run("-xzpf", tgz.toString(), "-C", into.toString()).ok();
        List<String> extracted = new ArrayList<>();
        try (var walk = Files.walk(into)) {
            walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .forEach(p -> extracted.add(into.relativize(p).toString()));
        }
        assertThat(extracted).containsExactlyInAnyOrderElementsOf(files.stream().map(SourceFile::name).toList());
        for (SourceFile f : files) {
            Path x = into.resolve(f.name());
            if (f.isSymlink()) {
                assertThat(Files.isSymbolicLink(x)).as(f.name()).isTrue();
                assertThat(Files.readSymbolicLink(x).toString()).isEqualTo(f.linkTarget());
            } else {
                assertThat(Files.readAllBytes(x)).as(f.name()).isEqualTo(Files.readAllBytes(f.path()));
                assertThat(mode(Files.getPosixFilePermissions(x))).as(f.name()).isEqualTo(f.mode() & 0777);
                assertThat(Files.getLastModifiedTime(x).toInstant().getEpochSecond()).isEqualTo(MTIME);
            }
        }
    }

    static int mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) m |= 0400 >> p.ordinal();
        return m;
    }

    @Test
    void theGzipLevelIsTheOneAskedFor() throws IOException {
        StringBuilder text = new StringBuilder();
        Random r = new Random(3);
        for (int i = 0; i < 40_000; i++) text.append("line ").append(r.nextInt(1000)).append(" of some html\n");
        Files.writeString(root.resolve("page.html"), text);
        List<SourceFile> files = FileTree.collect(root, false, false).files();

        long stored = TgzArchive.write(files, out.resolve("0"), TgzArchive.PART_SIZE, 0, MTIME).get(0).size();
        long fast = TgzArchive.write(files, out.resolve("1")).get(0).size();
        long best = TgzArchive.write(files, out.resolve("9"), TgzArchive.PART_SIZE, 9, MTIME).get(0).size();
        assertThat(stored).isGreaterThan(text.length() + 1536); // deflate's stored blocks add to the tar
        assertThat(fast).isLessThan(stored / 3);
        assertThat(best).isLessThan(fast);

        byte[] gz = Files.readAllBytes(out.resolve("9/source.tgz.part1"));
        assertThat(gz[0] & 0xff).isEqualTo(0x1f);
        assertThat(gz[1] & 0xff).isEqualTo(0x8b);
        assertThat(gz[2]).isEqualTo((byte) 8); // deflate
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) { // checks CRC-32 and length
            byte[] tar = in.readAllBytes();
            assertThat(tar.length % 512).isZero();
            assertThat(tar.length).isEqualTo(512 + (text.length() + 511) / 512 * 512 + 1024);
        }
        assertThatThrownBy(() -> TgzArchive.write(files, out.resolve("10"), TgzArchive.PART_SIZE, 10, MTIME))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aFileThatVanishesFailsTheArchiveAndStopsTheCompressingThread() throws IOException {
        List<SourceFile> files = tree();
        Files.delete(root.resolve("index.html"));
        assertThatThrownBy(() -> TgzArchive.write(files, out, 100_000, 1, MTIME))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot write the tgz archive");
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("tgz-gzip") && t.isAlive());
    }
}
