import dev.gantry.common.vercel.FileHasher;
import dev.gantry.common.vercel.FileTree;
import dev.gantry.common.vercel.SourceFile;

import java.nio.file.Path;
import java.util.List;

/**
 * SHA-1 throughput of our hasher over a tree (files in the page cache): one thread, then all cores.
 * Run with the common module on the classpath: java -cp CP bench/vercel/HashBench.java DIR
 */
public class HashBench {
    public static void main(String[] args) {
        List<SourceFile> files = FileTree.collect(Path.of(args[0]), false, false).files();
        long bytes = files.stream().mapToLong(SourceFile::size).sum();
        int cores = Runtime.getRuntime().availableProcessors();
        FileHasher.hash(files, cores, null); // warm the page cache and the JIT
        FileHasher.hash(files, 1, null);
        for (int threads : new int[]{1, cores}) {
            double best = 0;
            for (int run = 0; run < 3; run++) {
                long t = System.nanoTime();
                FileHasher.hash(files, threads, null);
                double s = (System.nanoTime() - t) / 1e9;
                best = Math.max(best, bytes / 1024.0 / 1024.0 / s);
            }
            System.out.printf("hash_threads_%d_mib_s=%.0f%n", threads, best);
        }
        System.out.printf("hash_files=%d%nhash_mib=%.1f%n", files.size(), bytes / 1024.0 / 1024.0);
    }
}
