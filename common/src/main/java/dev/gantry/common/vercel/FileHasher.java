package dev.gantry.common.vercel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * SHA-1 of every file (lowercase hex of the raw bytes, research §2.3), streamed through a direct buffer, on a
 * fixed pool of platform threads (hashing is CPU work). Identical contents collapse into one {@link Blob}.
 */
public final class FileHasher {
    private static final int BUFFER = 256 * 1024;
    private static final ThreadLocal<ByteBuffer> BUFFERS = ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER));

    /** A file with its digest. */
    public record HashedFile(SourceFile source, String sha) {
    }

    /** One distinct content: its digest, size, and every file that has it (the first is uploaded). */
    public record Blob(String sha, long size, List<SourceFile> files) {
        public SourceFile first() {
            return files.get(0);
        }
    }

    /** The hashing result: files in input order, and distinct contents by digest. */
    public record Hashed(List<HashedFile> files, Map<String, Blob> blobs) {
        /** Files beyond the first with the same content. */
        public int duplicates() {
            return files.size() - blobs.size();
        }

        public long uniqueBytes() {
            return blobs.values().stream().mapToLong(Blob::size).sum();
        }
    }

    private FileHasher() {
    }

    public static int defaultThreads() {
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Hashes {@code files} on {@code threads} threads; {@code progress} gets the count done after each file.
     * Directory entries have no content and are left out.
     */
    public static Hashed hash(List<SourceFile> entries, int threads, IntConsumer progress) {
        List<SourceFile> files = entries.stream().filter(f -> !f.isDirectory()).toList();
        List<HashedFile> out = new ArrayList<>(files.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "sha1");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String>> futures = new ArrayList<>(files.size());
            for (SourceFile f : files) futures.add(pool.submit(() -> sha1(f)));
            for (int i = 0; i < files.size(); i++) {
                out.add(new HashedFile(files.get(i), futures.get(i).get()));
                if (progress != null) progress.accept(i + 1);
            }
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof UncheckedIOException u) throw u;
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing", e);
        } finally {
            pool.shutdownNow();
        }
        Map<String, List<SourceFile>> bySha = new LinkedHashMap<>();
        for (HashedFile h : out) bySha.computeIfAbsent(h.sha(), k -> new ArrayList<>()).add(h.source());
        Map<String, Blob> blobs = new LinkedHashMap<>();
        bySha.forEach((sha, fs) -> blobs.put(sha, new Blob(sha, fs.get(0).size(), List.copyOf(fs))));
        return new Hashed(List.copyOf(out), blobs);
    }

    /** The digest of one file: its bytes, or for a symlink its link text. */
    public static String sha1(SourceFile f) {
        if (f.isSymlink()) return sha1(f.linkTarget().getBytes(StandardCharsets.UTF_8));
        MessageDigest md = newDigest();
        ByteBuffer buf = BUFFERS.get();
        try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.READ)) {
            while (true) {
                buf.clear();
                if (ch.read(buf) < 0) break;
                buf.flip();
                md.update(buf);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f.name(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    public static String sha1(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
