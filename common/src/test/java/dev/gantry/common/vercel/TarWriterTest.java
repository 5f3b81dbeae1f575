package dev.gantry.common.vercel;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TarWriterTest {
    static final long MTIME = 1_700_000_000L;
    static final long GIB = 1L << 30;

    @TempDir
    Path tmp;

    /** One entry to write: a file (content) or a symlink (link). */
    record E(String name, int mode, byte[] content, String link) {
        static E file(String name, int mode, String content) {
            return new E(name, mode, content.getBytes(StandardCharsets.UTF_8), null);
        }

        static E file(String name, byte[] content) {
            return new E(name, 0644, content, null);
        }

        static E link(String name, String target) {
            return new E(name, SourceFile.SYMLINK_MODE, null, target);
        }
    }

    static byte[] tar(E... entries) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarWriter w = new TarWriter(b, MTIME)) {
            for (E e : entries) {
                if (e.link != null) w.symlink(e.name, e.mode, e.link);
                else w.file(e.name, e.mode, e.content.length, new ByteArrayInputStream(e.content));
            }
            w.finish();
        }
        return b.toByteArray();
    }

    /** What commons-compress reads back: entries by name, in order, with their contents. */
    record Read(Map<String, TarArchiveEntry> entries, Map<String, byte[]> contents) {
    }

    static Read readWithCommons(byte[] tar) throws IOException {
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        Map<String, byte[]> contents = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), "UTF-8")) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                assertThat(e.isCheckSumOK()).as("checksum of " + e.getName()).isTrue();
                entries.put(e.getName(), e);
                contents.put(e.getName(), in.readAllBytes());
            }
        }
        return new Read(entries, contents);
    }

    static String octalField(byte[] h, int offset, int length) {
        return new String(h, offset, length, StandardCharsets.US_ASCII);
    }

    static String cString(byte[] h, int offset, int length) {
        int end = offset;
        while (end < offset + length && h[end] != 0) end++;
        return new String(h, offset, end - offset, StandardCharsets.UTF_8);
    }

    @Test
    void aHeaderIsUstarWithTheChecksumOfTheSpec() {
        byte[] h = TarWriter.header("dir/a.txt", 0755, TarWriter.REGULAR, 1234, null, MTIME);
        assertThat(h).hasSize(512);
        assertThat(cString(h, 0, 100)).isEqualTo("dir/a.txt");
        assertThat(octalField(h, 100, 8)).isEqualTo("0000755 ");
        assertThat(octalField(h, 108, 8)).isEqualTo("0000000 ");
        assertThat(octalField(h, 116, 8)).isEqualTo("0000000 ");
        assertThat(octalField(h, 124, 12)).isEqualTo(String.format("%011o ", 1234));
        assertThat(octalField(h, 136, 12)).isEqualTo(String.format("%011o ", MTIME));
        assertThat(h[156]).isEqualTo((byte) '0');
        assertThat(Arrays.copyOfRange(h, 257, 265)).isEqualTo(new byte[]{'u', 's', 't', 'a', 'r', 0, '0', '0'});
        assertThat(cString(h, 265, 32)).isEmpty(); // uname
        assertThat(cString(h, 297, 32)).isEmpty(); // gname
        // the checksum as the spec defines it, computed here on its own: unsigned sum, the field itself as 8 spaces
        long sum = 0;
        for (int i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : Byte.toUnsignedInt(h[i]);
        assertThat(octalField(h, 148, 6)).isEqualTo(String.format("%06o", sum));
        assertThat(h[154]).isZero();
        assertThat(h[155]).isEqualTo((byte) ' ');
    }

    @Test
    void aWrongChecksumIsRefusedByTheReaders() throws IOException {
        byte[] good = tar(E.file("checked.txt", 0644, "data\n"));
        byte[] bad = good.clone();
        bad[0] = 'C'; // the name changes, the checksum does not
        assertThat(readWithCommons(good).entries()).containsOnlyKeys("checked.txt");
        assertThatThrownBy(() -> readWithCommons(bad)).isInstanceOfAny(IOException.class, AssertionError.class);

        SystemTar.assumeAvailable();
        assertThat(SystemTar.onBytes(tmp, good, "-tf").ok().out()).isEqualTo("checked.txt\n");
        SystemTar.Run refused = SystemTar.onBytes(tmp, bad, "-tf");
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.out()).doesNotContain("hecked.txt");
    }

    @Test
    void dataIsPaddedToWholeBlocksAndTheArchiveEndsWithTwoZeroBlocks() throws IOException {
        byte[] block = new byte[512];
        Arrays.fill(block, (byte) 'b');
        byte[] more = new byte[513];
        Arrays.fill(more, (byte) 'm');
        byte[] t = tar(E.file("empty", new byte[0]), E.file("block", block), E.file("more", more));
        // header, header + 1 block, header + 2 blocks, 2 zero blocks
        assertThat(t).hasSize(512 + (512 + 512) + (512 + 1024) + 1024);
        assertThat(Arrays.copyOfRange(t, t.length - 1024 - 511, t.length)).containsOnly(0); // padding of "more" and the end
        assertThat(t).hasSize(t.length / 512 * 512);

        Read r = readWithCommons(t);
        assertThat(r.entries()).containsOnlyKeys("empty", "block", "more");
        assertThat(r.contents().get("empty")).isEmpty();
        assertThat(r.contents().get("block")).isEqualTo(block);
        assertThat(r.contents().get("more")).isEqualTo(more);

        SystemTar.assumeAvailable();
        assertThat(SystemTar.onBytes(tmp, t, "-tvf").ok().out()).containsPattern("-rw-r--r-- 0/0 +0 2023-11-1[45] \\d\\d:\\d\\d empty\n")
                .containsPattern(" 512 [^\n]* block\n").containsPattern(" 513 [^\n]* more\n");
    }

    @Test
    void namesThatFitUstarNeedNoPaxHeader() throws IOException {
        String hundred = "n".repeat(100);
        String split = "p".repeat(80) + "/" + "q".repeat(70) + "/" + "r".repeat(90); // 242 bytes: prefix 151 + name 90
        String maxSplit = "p".repeat(155) + "/" + "s".repeat(100);
        for (String name : List.of(hundred, split, maxSplit)) {
            byte[] h = TarWriter.header(name, 0644, TarWriter.REGULAR, 0, null, MTIME);
            assertThat(h).as(name).hasSize(512);
            assertThat(h[156]).isEqualTo((byte) '0');
        }
        byte[] h = TarWriter.header(split, 0644, TarWriter.REGULAR, 0, null, MTIME);
        assertThat(cString(h, 345, 155)).isEqualTo("p".repeat(80) + "/" + "q".repeat(70));
        assertThat(cString(h, 0, 100)).isEqualTo("r".repeat(90));

        byte[] t = tar(E.file(hundred, 0644, "1"), E.file(split, 0644, "2"), E.file(maxSplit, 0644, "3"));
        assertThat(readWithCommons(t).entries()).containsOnlyKeys(hundred, split, maxSplit);
        SystemTar.assumeAvailable();
        assertThat(SystemTar.onBytes(tmp, t, "-tf").ok().out()).isEqualTo(hundred + "\n" + split + "\n" + maxSplit + "\n");
    }

    @Test
    void namesThatDoNotFitGetAPaxPathRecord() throws IOException {
        String deep = String.join("/", List.of("a".repeat(59), "b".repeat(59), "c".repeat(59), "d".repeat(59), "e".repeat(60)));
        String oneComponent = "x".repeat(200);                               // no '/' to split at
        String prefixTooLong = "p".repeat(156) + "/" + "s".repeat(10);        // the only split leaves 156 bytes of prefix
        String nameTooLong = "p".repeat(10) + "/" + "s".repeat(101);          // the only split leaves 101 bytes of name
        String wide = "é".repeat(60);                                        // 60 chars, 120 bytes of UTF-8
        String mixed = "dossier/" + "ü".repeat(20) + "/日本語のファイル名".repeat(8) + ".txt";
        assertThat(deep).hasSize(300);
        List<String> names = List.of(deep, oneComponent, prefixTooLong, nameTooLong, wide, mixed);
        for (String name : names) {
            byte[] h = TarWriter.header(name, 0644, TarWriter.REGULAR, 1, null, MTIME);
            assertThat(h.length).as(name).isGreaterThan(512);
            assertThat(h[156]).isEqualTo((byte) 'x');
            String records = cString(h, 512, h.length - 1024);
            assertThat(records).isEqualTo(new String(TarWriter.paxRecord("path", name), StandardCharsets.UTF_8));
            byte[] ustar = Arrays.copyOfRange(h, h.length - 512, h.length);
            assertThat(ustar[156]).isEqualTo((byte) '0');
            assertThat(cString(ustar, 0, 100).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(100);
        }
        // the truncated ustar name does not cut a character in two
        byte[] ustar = Arrays.copyOfRange(TarWriter.header(wide, 0644, TarWriter.REGULAR, 0, null, MTIME), 1024, 1536);
        assertThat(cString(ustar, 0, 100)).isEqualTo("é".repeat(50));

        E[] entries = names.stream().map(n -> E.file(n, 0644, "content of " + n.length())).toArray(E[]::new);
        byte[] t = tar(entries);
        Read r = readWithCommons(t);
        assertThat(r.entries().keySet()).containsExactlyElementsOf(names);
        for (String n : names) assertThat(new String(r.contents().get(n), StandardCharsets.UTF_8)).isEqualTo("content of " + n.length());

        SystemTar.assumeAvailable();
        Path into = tmp.resolve("x");
        java.nio.file.Files.createDirectories(into);
        SystemTar.onBytes(tmp, t, "-x", "-C", into.toString(), "-f").ok();
        assertThat(into.resolve(deep)).hasContent("content of 300");
        assertThat(into.resolve(oneComponent)).hasContent("content of 200");
        assertThat(into.resolve(prefixTooLong)).hasContent("content of " + prefixTooLong.length());
        assertThat(into.resolve(nameTooLong)).hasContent("content of " + nameTooLong.length());
        if ("UTF-8".equals(System.getProperty("sun.jnu.encoding"))) {
            assertThat(into.resolve(wide)).hasContent("content of 60");
            assertThat(into.resolve(mixed)).hasContent("content of " + mixed.length());
        } else {
            System.out.println("SKIP non-ASCII file names on disk: sun.jnu.encoding is " + System.getProperty("sun.jnu.encoding"));
        }
        try (var files = java.nio.file.Files.walk(into)) {
            assertThat(files.filter(java.nio.file.Files::isRegularFile).count()).isEqualTo(names.size());
        }
    }

    @Test
    void symlinksKeepTheirTargetAndLongTargetsGetAPaxLinkpathRecord() throws IOException {
        String longTarget = "../" + "t".repeat(60) + "/" + "u".repeat(60) + "/target.txt";
        byte[] h = TarWriter.header("short", SourceFile.SYMLINK_MODE, TarWriter.SYMLINK, 0, "index.html", MTIME);
        assertThat(h).hasSize(512);
        assertThat(h[156]).isEqualTo((byte) '2');
        assertThat(cString(h, 157, 100)).isEqualTo("index.html");
        assertThat(octalField(h, 100, 8)).isEqualTo("0120777 ");
        assertThat(octalField(h, 124, 12)).isEqualTo("00000000000 ");
        byte[] l = TarWriter.header("d/long", SourceFile.SYMLINK_MODE, TarWriter.SYMLINK, 0, longTarget, MTIME);
        assertThat(cString(l, 512, 512)).isEqualTo(new String(TarWriter.paxRecord("linkpath", longTarget), StandardCharsets.UTF_8));

        byte[] t = tar(E.link("short", "index.html"), E.link("d/long", longTarget), E.file("index.html", 0644, "<p>"));
        Read r = readWithCommons(t);
        assertThat(r.entries().get("short").isSymbolicLink()).isTrue();
        assertThat(r.entries().get("short").getLinkName()).isEqualTo("index.html");
        assertThat(r.entries().get("d/long").getLinkName()).isEqualTo(longTarget);

        SystemTar.assumeAvailable();
        assertThat(SystemTar.onBytes(tmp, t, "-tvf").ok().out())
                .contains("short -> index.html\n").contains("d/long -> " + longTarget + "\n");
    }

    @Test
    void paxRecordLengthsCountThemselves() {
        assertThat(new String(TarWriter.paxRecord("mtime", "1234567890.123456789"), StandardCharsets.UTF_8))
                .isEqualTo("30 mtime=1234567890.123456789\n");
        assertThat(new String(TarWriter.paxRecord("k", ""), StandardCharsets.UTF_8)).isEqualTo("5 k=\n");
        assertThat(new String(TarWriter.paxRecord("k", "v".repeat(4)), StandardCharsets.UTF_8)).isEqualTo("9 k=vvvv\n");
        assertThat(new String(TarWriter.paxRecord("k", "v".repeat(5)), StandardCharsets.UTF_8)).isEqualTo("11 k=vvvvv\n");
        for (int n = 0; n < 10_100; n++) {
            String value = "é".repeat(n % 3) + "v".repeat(n);
            byte[] r = TarWriter.paxRecord("path", value);
            String s = new String(r, StandardCharsets.UTF_8);
            int space = s.indexOf(' ');
            assertThat(Integer.parseInt(s.substring(0, space))).as("record of %d", n).isEqualTo(r.length);
            assertThat(s.substring(space + 1)).isEqualTo("path=" + value + "\n");
        }
    }

    @Test
    void recordLengthsAcrossADigitBoundaryReadBack() throws IOException {
        // " path=<name>\n" is 7 bytes plus the name: names of 988..994 bytes put the record at 998..1005 bytes
        List<String> names = new ArrayList<>();
        for (int len = 988; len <= 994; len++) {
            String dirs = ("d".repeat(99) + "/").repeat(9); // 900 bytes
            names.add(dirs + "f".repeat(len - 900));
        }
        byte[] t = tar(names.stream().map(n -> E.file(n, 0644, "" + n.length())).toArray(E[]::new));
        Read r = readWithCommons(t);
        assertThat(r.entries().keySet()).containsExactlyElementsOf(names);
        SystemTar.assumeAvailable();
        assertThat(SystemTar.onBytes(tmp, t, "-tf").ok().out()).isEqualTo(String.join("\n", names) + "\n");
    }

    @Test
    void sizesOf8GiBAndMoreGoInAPaxSizeRecord() throws IOException {
        byte[] fits = TarWriter.header("big", 0644, TarWriter.REGULAR, 8 * GIB - 1, null, MTIME);
        assertThat(fits).hasSize(512);
        assertThat(octalField(fits, 124, 12)).isEqualTo("77777777777 ");

        byte[] h = TarWriter.header("huge", 0644, TarWriter.REGULAR, 8 * GIB, null, MTIME);
        assertThat(h).hasSize(1536);
        assertThat(cString(h, 512, 512)).isEqualTo("19 size=8589934592\n");
        assertThat(octalField(h, 1024 + 124, 12)).isEqualTo("00000000000 ");
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(h))) {
            TarArchiveEntry e = in.getNextEntry();
            assertThat(e.getName()).isEqualTo("huge");
            assertThat(e.getSize()).isEqualTo(8 * GIB);
        }
        byte[] h2 = TarWriter.header("very/long/" + "n".repeat(200), 0644, TarWriter.REGULAR, 100 * GIB + 3, null, MTIME);
        assertThat(cString(h2, 512, 512)).isEqualTo(new String(TarWriter.paxRecord("path", "very/long/" + "n".repeat(200)), StandardCharsets.UTF_8)
                + "21 size=107374182403\n");

        SystemTar.assumeAvailable();
        // only the headers: tar lists the entry with the pax size, then stops at the missing data
        assertThat(SystemTar.onBytes(tmp, h, "-tvf").out()).contains(" 8589934592 ").contains(" huge\n");
    }

    @Test
    void aFileThatChangedWhileItWasArchivedFailsTheArchive() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        TarWriter shorter = new TarWriter(b, MTIME);
        assertThatThrownBy(() -> shorter.file("grew", 0644, 10, new ByteArrayInputStream(new byte[5])))
                .isInstanceOf(IOException.class).hasMessageContaining("grew has 5 bytes, not the 10");
        assertThatThrownBy(shorter::finish).isInstanceOf(IOException.class);
        shorter.close(); // no end marker after a broken entry
        assertThat(b.size()).isEqualTo(512 + 5);

        TarWriter longer = new TarWriter(new ByteArrayOutputStream(), MTIME);
        assertThatThrownBy(() -> longer.file("shrank", 0644, 10, new ByteArrayInputStream(new byte[12])))
                .isInstanceOf(IOException.class).hasMessageContaining("more than the 10 bytes");
    }

    @Test
    void badEntriesAreRefused() {
        assertThatThrownBy(() -> TarWriter.header("", 0644, TarWriter.REGULAR, 0, null, MTIME)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TarWriter.header("a\0b", 0644, TarWriter.REGULAR, 0, null, MTIME)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TarWriter.header("a", 010000000, TarWriter.REGULAR, 0, null, MTIME)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TarWriter(new ByteArrayOutputStream(), MTIME).symlink("l", 0777, ""))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
