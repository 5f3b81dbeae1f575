import dev.gantry.common.vercel.FileTree;
import dev.gantry.common.vercel.SourceFile;
import dev.gantry.verceldeploy.TgzArchive;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Does ParallelGzip earn its place? The archive step of archive: tgz as vercel-deploy runs it (commons-compress tar
 * into ParallelGzip, level 1, every core) against the same tar into one java.util.zip GZIPOutputStream at level 1.
 * Best of 3 each, files in the page cache. Usage: java -cp CP bench/vercel/TgzBench.java DIR WORKDIR
 */
public class TgzBench {
    public static void main(String[] args) throws Exception {
        List<SourceFile> files = FileTree.collect(Path.of(args[0]), false, false).files();
        Path work = Files.createDirectories(Path.of(args[1]));
        double ours = Double.MAX_VALUE, plain = Double.MAX_VALUE;
        long oursSize = 0, plainSize = 0;
        for (int run = 0; run < 4; run++) { // the first round warms up and is not counted
            Path dir = work.resolve("parts");
            long t = System.nanoTime();
            List<TgzArchive.Part> parts = TgzArchive.write(files, dir);
            double s = (System.nanoTime() - t) / 1e9;
            oursSize = parts.stream().mapToLong(TgzArchive.Part::size).sum();
            for (TgzArchive.Part p : parts) Files.delete(p.path());
            Path one = work.resolve("plain.tgz");
            t = System.nanoTime();
            plainSize = plain(files, one);
            double q = (System.nanoTime() - t) / 1e9;
            Files.delete(one);
            if (run > 0) {
                ours = Math.min(ours, s);
                plain = Math.min(plain, q);
            }
        }
        System.out.printf("tgz_parallel_s=%.2f%ntgz_parallel_mib=%.1f%ntgz_plain_s=%.2f%ntgz_plain_mib=%.1f%n",
                ours, oursSize / 1048576.0, plain, plainSize / 1048576.0);
    }

    static long plain(List<SourceFile> files, Path out) throws Exception {
        try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 16);
             GZIPOutputStream gz = new GZIPOutputStream(file, 1 << 16) {{ def.setLevel(Deflater.BEST_SPEED); }};
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new BufferedOutputStream(gz, 1 << 16), 512, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (SourceFile f : files) {
                TarArchiveEntry e = new TarArchiveEntry(f.name(), f.isSymlink() ? TarConstants.LF_SYMLINK : TarConstants.LF_NORMAL);
                e.setMode(f.mode() & 07777);
                if (f.isSymlink()) {
                    e.setLinkName(f.linkTarget());
                    tar.putArchiveEntry(e);
                } else {
                    e.setSize(Files.size(f.path()));
                    tar.putArchiveEntry(e);
                    Files.copy(f.path(), tar);
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        return Files.size(out);
    }
}
