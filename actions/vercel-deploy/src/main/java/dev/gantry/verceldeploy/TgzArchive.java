package dev.gantry.verceldeploy;

import dev.gantry.common.vercel.FileHasher;
import dev.gantry.common.vercel.SourceFile;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;

/**
 * The CLI's {@code --archive=tgz} (research §2.6): every entry in one gzipped tarball, cut into parts of at most
 * 100 MB named {@code .vercel/source.tgz.part<N>} (mode {@code 0666}), each hashed as it is written. The tar is
 * commons-compress's ({@link TarArchiveOutputStream}, PAX headers where ustar does not fit: long names, UTF-8
 * names, long link targets), every entry stamped with the time the archive was started and owned by 0:0. The gzip
 * stream is {@link ParallelGzip} at its fastest level, deflating on every core: on the 100 MB benchmark tree it
 * halves the archive step against one {@code GZIPOutputStream} (bench/README.md, "tgz"). The parts go to
 * {@code dir} on disk, so memory stays flat whatever the tree's size.
 */
public final class TgzArchive {
    public static final long PART_SIZE = 100L * 1024 * 1024;
    public static final int PART_MODE = 0666;

    /** One part: its deploy name, file on disk, size and digest. */
    public record Part(String name, Path path, long size, String sha) {
    }

    private TgzArchive() {
    }

    public static List<Part> write(List<SourceFile> files, Path dir) {
        return write(files, dir, PART_SIZE, Deflater.BEST_SPEED, Instant.now().getEpochSecond());
    }

    static List<Part> write(List<SourceFile> files, Path dir, long partSize, int level, long mtime) {
        try (PartsOutputStream parts = new PartsOutputStream(dir, partSize)) {
            OutputStream gzip = new ParallelGzip(new BufferedOutputStream(parts, 1 << 16), level,
                    Runtime.getRuntime().availableProcessors());
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip, 512, StandardCharsets.UTF_8.name())) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                tar.setAddPaxHeadersForNonAsciiNames(true);
                for (SourceFile f : files) add(tar, f, mtime);
                tar.finish();
            }
            return parts.parts();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tgz archive", e);
        }
    }

    private static void add(TarArchiveOutputStream tar, SourceFile f, long mtime) throws IOException {
        TarArchiveEntry e;
        if (f.isSymlink()) {
            e = new TarArchiveEntry(f.name(), TarConstants.LF_SYMLINK);
            e.setLinkName(f.linkTarget());
        } else if (f.isDirectory()) {
            e = new TarArchiveEntry(f.name() + "/", TarConstants.LF_DIR);
        } else {
            e = new TarArchiveEntry(f.name(), TarConstants.LF_NORMAL);
        }
        e.setMode(f.mode() & 07777);
        e.setModTime(FileTime.from(Instant.ofEpochSecond(mtime)));
        e.setIds(0, 0);
        e.setNames("", "");
        if (f.isSymlink() || f.isDirectory()) { // never opened: a link's target is not read (nor followed)
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return;
        }
        try (FileChannel ch = FileChannel.open(f.path())) { // size and bytes from the same open file
            e.setSize(ch.size());
            tar.putArchiveEntry(e);
            try (InputStream in = Channels.newInputStream(ch)) {
                long copied = in.transferTo(tar);
                if (copied != e.getSize()) throw new IOException(f.name() + " changed while it was archived");
            }
            tar.closeArchiveEntry();
        }
    }

    /** Splits what is written into part files, hashing each. */
    private static final class PartsOutputStream extends OutputStream {
        private final Path dir;
        private final long partSize;
        private final List<Part> parts = new ArrayList<>();
        private OutputStream current;
        private MessageDigest digest;
        private Path currentPath;
        private long written;
        private boolean closed;

        PartsOutputStream(Path dir, long partSize) throws IOException {
            this.dir = Files.createDirectories(dir);
            this.partSize = partSize;
        }

        private void roll() throws IOException {
            finishPart();
            currentPath = dir.resolve("source.tgz.part" + (parts.size() + 1));
            current = new BufferedOutputStream(Files.newOutputStream(currentPath), 1 << 16);
            digest = FileHasher.newDigest();
            written = 0;
        }

        private void finishPart() throws IOException {
            if (current == null) return;
            current.close();
            parts.add(new Part(".vercel/source.tgz.part" + (parts.size() + 1), currentPath, written,
                    HexFormat.of().formatHex(digest.digest())));
            current = null;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (current == null || written == partSize) roll();
                int n = (int) Math.min(len, partSize - written);
                current.write(b, off, n);
                digest.update(b, off, n);
                written += n;
                off += n;
                len -= n;
            }
        }

        @Override
        public void close() throws IOException {
            if (closed) return;
            closed = true;
            finishPart();
        }

        List<Part> parts() {
            return List.copyOf(parts);
        }
    }
}
