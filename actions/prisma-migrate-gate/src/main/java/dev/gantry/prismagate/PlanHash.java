package dev.gantry.prismagate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The hash of exactly what an apply would run: the pending migrations, in order, each as its name and Prisma's
 * checksum of its file. SHA-256 over {@code "gantry-plan-v1\n"} and one {@code "<name>\t<checksum>\n"} line per
 * migration. A reviewer who approves a plan approves this; apply with {@code plan-hash} refuses anything else.
 */
public final class PlanHash {
    private PlanHash() {
    }

    public static String of(List<LocalMigration> pending) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update("gantry-plan-v1\n".getBytes(StandardCharsets.UTF_8));
            for (LocalMigration m : pending) {
                d.update((m.name() + "\t" + m.checksum() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
