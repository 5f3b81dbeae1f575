package dev.gantry.common.vercel;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;

/**
 * The CLI's {@code --archive=tgz} (research §2.6): every file in one gzipped tarball, cut into parts of at most
 * 100 MB named {@code .vercel/source.tgz.part<N>} (mode {@code 0666}), each hashed as it is written. Gzip runs at
 * its fastest level: compressing is the slow part of a tgz deploy, and level 1 costs only a little size. The parts go
 * to {@code dir} on disk, so memory stays flat whatever the tree's size. The tar format is {@link TarWriter}'s (pax
 * headers only where ustar does not fit), every entry stamped with the time the archive was started.
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
        return write(files, dir, PART_SIZE, Deflater.BEST_SPEED);
    }

    /** With a gzip {@code level} (0-9); for measurements. */
    public static List<Part> writeWithLevel(List<SourceFile> files, Path dir, int level) {
        return write(files, dir, PART_SIZE, level);
    }

    static List<Part> write(List<SourceFile> files, Path dir, long partSize) {
        return write(files, dir, partSize, Deflater.BEST_SPEED);
    }

    static List<Part> write(List<SourceFile> files, Path dir, long partSize, int level) {
        return write(files, dir, partSize, level, Instant.now().getEpochSecond());
    }

    static List<Part> write(List<SourceFile> files, Path dir, long partSize, int level, long mtime) {
        try (PartsOutputStream parts = new PartsOutputStream(dir, partSize)) {
            // reading, tar framing and hashing on this thread, deflating on every core (one gzip stream, as pigz)
            try (TarWriter tar = new TarWriter(new ParallelGzip(new BufferedOutputStream(parts, 1 << 16), level,
                    Runtime.getRuntime().availableProcessors()), mtime)) {
                for (SourceFile f : files) {
                    if (f.isSymlink()) {
                        tar.symlink(f.name(), f.mode(), f.linkTarget());
                    } else {
                        // size and bytes from the same open file
                        try (FileChannel ch = FileChannel.open(f.path())) {
                            tar.file(f.name(), f.mode() & 07777, ch.size(), Channels.newInputStream(ch));
                        }
                    }
                }
                tar.finish();
            }
            return parts.parts();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the tgz archive", e);
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
            current = new java.io.BufferedOutputStream(Files.newOutputStream(currentPath), 1 << 16);
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
