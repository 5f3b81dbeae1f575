package dev.gantry.verceldeploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParallelGzipTest {
    private static final int B = ParallelGzip.BLOCK;

    private static byte[] compress(byte[] data, int level, int threads, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParallelGzip gz = new ParallelGzip(out, level, threads)) {
            for (int off = 0; off < data.length; off += chunk) gz.write(data, off, Math.min(chunk, data.length - off));
        }
        return out.toByteArray();
    }

    private static byte[] gunzip(byte[] gz) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Text that repeats across block boundaries, so back-references into the previous block matter. */
    private static byte[] text(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; s.length() < n; i++) s.append("line ").append(i % 977).append(": the quick brown fox\n");
        return s.substring(0, n).getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 100, B - 1, B, B + 1, 3 * B + B / 2})
    void anyLengthComesBackByteForByte(int length) throws IOException {
        for (byte[] data : new byte[][]{random(length, length), text(length)}) {
            for (int threads : new int[]{1, 2, 4}) {
                byte[] gz = compress(data, 1, threads, 8191);
                assertThat(gunzip(gz)).as("%d bytes, %d threads", length, threads).isEqualTo(data);
                CRC32 crc = new CRC32();
                crc.update(data);
                long trailerCrc = (gz[gz.length - 8] & 0xffL) | (gz[gz.length - 7] & 0xffL) << 8
                        | (gz[gz.length - 6] & 0xffL) << 16 | (gz[gz.length - 5] & 0xffL) << 24;
                assertThat(trailerCrc).isEqualTo(crc.getValue());
            }
        }
    }

    @Test
    void compressesAboutAsWellAsOneThreadedDeflate() throws IOException {
        byte[] data = text(5 * B);
        byte[] ours = compress(data, 6, 4, 65536);
        ByteArrayOutputStream one = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(one)) {
            gz.write(data);
        }
        assertThat(ours.length).isLessThan(one.size() + one.size() / 50 + 64); // the dictionary keeps blocks joined
        assertThat(gunzip(ours)).isEqualTo(data);
    }

    @Test
    void incompressibleBlocksAreStoredAndCompressibleOnesDeflated() throws IOException {
        byte[] data = new byte[4 * B];
        System.arraycopy(random(2 * B, 3), 0, data, 0, 2 * B);       // two blocks of "already compressed" bytes
        System.arraycopy(text(2 * B), 0, data, 2 * B, 2 * B);          // two blocks of text
        byte[] gz = compress(data, 1, 2, 65536);
        assertThat(gunzip(gz)).isEqualTo(data);
        // stored random blocks cost their size plus 5 bytes per 64 KiB stored block; the text shrinks a lot
        assertThat(gz.length).isBetween(2 * B, 2 * B + 2 * B / 20);
        byte[] allRandom = compress(random(2 * B, 4), 9, 2, B);
        assertThat(allRandom.length).isBetween(2 * B, 2 * B + 2 * B / 100); // stored at any level, not inflated
    }

    @Test
    void gzipOnThePathAcceptsIt(@TempDir Path dir) throws Exception {
        byte[] data = random(2 * B + 12345, 7);
        Path file = dir.resolve("x.gz");
        Files.write(file, compress(data, 1, 2, 100_000));
        Process p;
        try {
            p = new ProcessBuilder("gzip", "-t", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "no gzip on the PATH: " + e.getMessage());
            return;
        }
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    @Test
    void aFailingSinkFailsTheStream() {
        OutputStream broken = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("disk full");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (len > 10) throw new IOException("disk full");
            }
        };
        assertThatThrownBy(() -> {
            try (ParallelGzip gz = new ParallelGzip(broken, 1, 2)) {
                byte[] data = random(8 * B, 2);
                gz.write(data, 0, data.length);
            }
        }).isInstanceOf(IOException.class).hasMessageContaining("disk full");
    }

    @Test
    void levelsOutsideZeroToNineAreRefused() {
        assertThatThrownBy(() -> new ParallelGzip(new ByteArrayOutputStream(), 10, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
