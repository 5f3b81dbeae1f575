package dev.gantry.common.vercel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FileHasherTest {
    @TempDir
    Path root;

    @Test
    void sha1IsLowercaseHexOfTheRawBytesAndDuplicatesCollapse() throws IOException {
        Files.writeString(root.resolve("a.txt"), "abc");
        Files.writeString(root.resolve("b.txt"), "abc");
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(1).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        List<SourceFile> files = FileTree.collect(root, false, false).files();
        FileHasher.Hashed h = FileHasher.hash(files, 3, null);
        assertThat(h.files()).extracting(FileHasher.HashedFile::sha).containsExactly(
                "a9993e364706816aba3e25717850c26c9cd0d89d", "a9993e364706816aba3e25717850c26c9cd0d89d",
                FileHasher.sha1(big));
        assertThat(h.blobs()).hasSize(2);
        assertThat(h.duplicates()).isEqualTo(1);
        assertThat(h.blobs().get("a9993e364706816aba3e25717850c26c9cd0d89d").files()).extracting(SourceFile::name)
                .containsExactly("a.txt", "b.txt");
        assertThat(h.uniqueBytes()).isEqualTo(3 + big.length);
    }

    @Test
    void manyFilesHashTheSameOnOneThreadOrMany() throws IOException {
        List<SourceFile> files = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Path p = root.resolve("f" + i);
            Files.writeString(p, "content " + (i % 37));
            files.add(new SourceFile("f" + i, p, 0100644, Files.size(p), null));
        }
        assertThat(FileHasher.hash(files, 1, null).files()).isEqualTo(FileHasher.hash(files, 8, null).files());
        assertThat(FileHasher.hash(files, 4, null).blobs()).hasSize(37);
    }
}
