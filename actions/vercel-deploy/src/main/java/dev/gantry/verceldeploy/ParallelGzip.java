package dev.gantry.verceldeploy;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * One gzip stream (RFC 1952) compressed on several cores, the way pigz does it: the input is cut into blocks, each
 * block is deflated on its own thread with the 32 KiB before it as the dictionary and ended with a sync flush (an
 * empty stored block, so the next block starts on a byte boundary), and the pieces are written in order, the last
 * one finishing the stream. The result is a single ordinary deflate stream: any gunzip reads it, and back-references
 * across block boundaries stay possible, so the size is within a fraction of a percent of one-threaded deflate.
 *
 * <p>A block whose sample does not shrink at level 1 is stored rather than deflated: deflating already compressed
 * bytes (the images, fonts and media that make up most of a site's bytes) costs most of the time and saves nothing.
 *
 * <p>CRC-32 and length are computed on the writing thread, in order. Memory is bounded: at most
 * {@code 2 × threads} blocks are in flight, and {@link #write} waits for the oldest before taking more.
 */
final class ParallelGzip extends OutputStream {
    static final int BLOCK = 1 << 20;
    private static final int WINDOW = 32 * 1024;
    /** How much of a block is test-compressed to tell already compressed data (see {@link #levelFor}). */
    private static final int SAMPLE = 64 * 1024;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, 0};

    private final OutputStream out;
    private final int level;
    private final ExecutorService workers;
    private final int maxInFlight;
    private final ArrayDeque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    private byte[] block = new byte[BLOCK];
    private int used;
    private byte[] dictionary;
    private long length;
    private boolean closed;

    ParallelGzip(OutputStream out, int level, int threads) throws IOException {
        if (level < Deflater.NO_COMPRESSION || level > Deflater.BEST_COMPRESSION) {
            throw new IllegalArgumentException("gzip level " + level + " is not 0-9");
        }
        this.out = out;
        this.level = level;
        int n = Math.max(1, threads);
        this.workers = Executors.newFixedThreadPool(n, r -> Thread.ofPlatform().daemon().name("tgz-deflate").unstarted(r));
        this.maxInFlight = 2 * n;
        out.write(HEADER);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("the gzip stream is closed");
        while (len > 0) {
            int n = Math.min(len, BLOCK - used);
            System.arraycopy(b, off, block, used, n);
            used += n;
            off += n;
            len -= n;
            if (used == BLOCK) submit(false);
        }
    }

    /** Hands the current block to a worker; writes finished blocks while too many are in flight. */
    private void submit(boolean last) throws IOException {
        byte[] input = used == block.length ? block : Arrays.copyOf(block, used);
        byte[] dict = dictionary;
        crc.update(input, 0, input.length);
        length += input.length;
        dictionary = input.length >= WINDOW ? Arrays.copyOfRange(input, input.length - WINDOW, input.length)
                : joinedTail(dict, input);
        inFlight.add(workers.submit(() -> deflate(input, dict, last)));
        block = new byte[BLOCK];
        used = 0;
        while (inFlight.size() > (last ? 0 : maxInFlight - 1)) writeOldest();
    }

    /** The last 32 KiB of what came before and this short block. */
    private static byte[] joinedTail(byte[] before, byte[] input) {
        byte[] prev = before == null ? new byte[0] : before;
        byte[] all = new byte[prev.length + input.length];
        System.arraycopy(prev, 0, all, 0, prev.length);
        System.arraycopy(input, 0, all, prev.length, input.length);
        return all.length <= WINDOW ? all : Arrays.copyOfRange(all, all.length - WINDOW, all.length);
    }

    /**
     * The level for one block: {@code level}, unless a sample of the block does not compress at level 1 (already
     * compressed bytes: images, fonts, archives), which is then stored (level 0) instead of deflated for nothing.
     */
    private int levelFor(byte[] input) {
        if (level == Deflater.NO_COMPRESSION || input.length < 2 * SAMPLE) return level;
        Deflater probe = new Deflater(Deflater.BEST_SPEED, true);
        try {
            probe.setInput(input, input.length / 2 - SAMPLE / 2, SAMPLE); // from the middle: past any file header
            probe.finish();
            byte[] buf = new byte[SAMPLE + SAMPLE / 8];
            int n = 0;
            while (!probe.finished() && n < buf.length) n += probe.deflate(buf, n, buf.length - n);
            return n >= SAMPLE - SAMPLE / 64 ? Deflater.NO_COMPRESSION : level;
        } finally {
            probe.end();
        }
    }

    private byte[] deflate(byte[] input, byte[] dict, boolean last) {
        Deflater d = new Deflater(levelFor(input), true);
        try {
            if (dict != null && dict.length > 0) d.setDictionary(dict);
            d.setInput(input);
            ByteSink sink = new ByteSink(input.length + input.length / 64 + 64);
            byte[] buf = new byte[64 * 1024];
            if (last) {
                d.finish();
                while (!d.finished()) sink.add(buf, d.deflate(buf, 0, buf.length, Deflater.NO_FLUSH));
            } else {
                // SYNC_FLUSH until the deflater has nothing left: the block ends on a byte boundary
                int n;
                do {
                    n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
                    sink.add(buf, n);
                } while (n == buf.length); // a full buffer may hold back more (Deflater's contract)
            }
            return sink.bytes();
        } finally {
            d.end();
        }
    }

    private void writeOldest() throws IOException {
        Future<byte[]> f = inFlight.poll();
        try {
            out.write(f.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw new IOException("compressing failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            submit(true);
            byte[] trailer = new byte[8];
            int c = (int) crc.getValue();
            int l = (int) length; // ISIZE: the length modulo 2^32
            for (int k = 0; k < 4; k++) {
                trailer[k] = (byte) (c >>> (8 * k));
                trailer[4 + k] = (byte) (l >>> (8 * k));
            }
            out.write(trailer);
        } finally {
            for (Future<byte[]> f : inFlight) f.cancel(true);
            workers.shutdownNow();
            out.close();
        }
    }

    /** A growable byte array. */
    private static final class ByteSink {
        private byte[] data;
        private int size;

        ByteSink(int capacity) {
            data = new byte[Math.max(64, capacity)];
        }

        void add(byte[] b, int n) {
            if (size + n > data.length) data = Arrays.copyOf(data, Math.max(data.length * 2, size + n));
            System.arraycopy(b, 0, data, size, n);
            size += n;
        }

        byte[] bytes() {
            return data.length == size ? data : Arrays.copyOf(data, size);
        }
    }
}
