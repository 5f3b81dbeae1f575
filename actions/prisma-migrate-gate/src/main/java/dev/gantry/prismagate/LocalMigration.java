package dev.gantry.prismagate;

import java.nio.file.Path;

/**
 * One migration folder as Prisma reads it: the name, the path of {@code migration.sql}, its text decoded as
 * UTF-8 (bad bytes replaced, as Node does), Prisma's checksum of that text, and whether the bytes were valid
 * UTF-8.
 */
public record LocalMigration(String name, Path file, String script, String checksum, boolean validUtf8) {
}
