package dev.gantry.verceldeploy;

import dev.gantry.common.vercel.DeploymentFile;
import dev.gantry.common.vercel.FileHasher;
import dev.gantry.common.vercel.SourceFile;
import dev.gantry.common.vercel.Uploader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code files} of the create call and what can be uploaded for them, in one of the CLI's three shapes
 * ({@code prepareFiles}, research §2.3-2.6): {@code inline} (a few small pages in the body itself), {@code files}
 * (each entry by digest; each distinct content uploaded once), {@code tgz} (the archive's parts). Directories with
 * nothing in them are entries of their own ({@code file} and {@code mode} only), as the CLI sends them.
 */
record Payload(String mode, List<DeploymentFile> files, Map<String, Uploader.Upload> uploads) {
    static final long INLINE_MAX_BYTES = 5L * 1024 * 1024;
    static final int INLINE_MAX_FILES = 10;

    static Payload archive(List<TgzArchive.Part> parts) {
        List<DeploymentFile> files = new ArrayList<>();
        Map<String, Uploader.Upload> uploads = new LinkedHashMap<>();
        for (TgzArchive.Part p : parts) {
            files.add(DeploymentFile.uploaded(p.name(), p.sha(), p.size(), TgzArchive.PART_MODE));
            uploads.put(p.sha(), new Uploader.Upload(p.sha(), p.size(), p.path(), null, p.name()));
        }
        return new Payload("tgz", List.copyOf(files), uploads);
    }

    static Payload hashed(List<SourceFile> entries, FileHasher.Hashed hashed, boolean prebuilt) {
        List<DeploymentFile> files = new ArrayList<>();
        for (SourceFile d : entries) if (d.isDirectory()) files.add(DeploymentFile.directory(d.name(), d.mode()));
        if (!prebuilt && inline(entries)) {
            for (FileHasher.HashedFile f : hashed.files()) {
                files.add(DeploymentFile.inline(f.source().name(), base64(f.source()), f.source().mode()));
            }
            return new Payload("inline", List.copyOf(files), Map.of());
        }
        for (FileHasher.HashedFile f : hashed.files()) {
            files.add(DeploymentFile.uploaded(f.source().name(), f.sha(), f.source().size(), f.source().mode()));
        }
        Map<String, Uploader.Upload> uploads = new LinkedHashMap<>();
        hashed.blobs().values().forEach(b -> uploads.put(b.sha(), Uploader.Upload.of(b)));
        return new Payload("files", List.copyOf(files), uploads);
    }

    /** {@code shouldInlineStaticFiles}: at most 10 regular .html/.htm/.md files, 5 MB in all, nothing else. */
    private static boolean inline(List<SourceFile> entries) {
        if (entries.isEmpty() || entries.size() > INLINE_MAX_FILES) return false;
        long total = 0;
        for (SourceFile f : entries) {
            String n = f.name().toLowerCase(Locale.ROOT);
            if (f.isSymlink() || f.isDirectory() || !(n.endsWith(".html") || n.endsWith(".htm") || n.endsWith(".md"))) {
                return false;
            }
            total += f.size();
        }
        return total <= INLINE_MAX_BYTES;
    }

    private static String base64(SourceFile f) {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(f.path()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f.name(), e);
        }
    }
}
