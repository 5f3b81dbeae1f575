package dev.gantry.prismagate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Prisma's migration checksum: lowercase hex SHA-256 of the script's UTF-8 text, and its comparison rule. */
public final class Checksums {
    private Checksums() {
    }

    public static String of(String script) {
        return ofUtf8(script.getBytes(StandardCharsets.UTF_8));
    }

    /** The checksum of a script given as its UTF-8 bytes. */
    public static String ofUtf8(byte[] utf8) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether a stored checksum matches the script as Prisma decides it: the raw text, the text with CRLF turned
     * into LF, or with LF turned into CRLF; a stored value of another length than 64 is the legacy
     * non-zero-padded hex.
     */
    public static boolean matches(String script, String stored) {
        if (stored == null) return false;
        String[] variants = {script, script.replace("\r\n", "\n"), script.replace("\n", "\r\n")};
        for (String v : variants) {
            String c = of(v);
            if (c.equals(stored)) return true;
            if (!stored.isEmpty() && stored.length() != 64 && legacy(c).equals(stored)) return true;
        }
        return false;
    }

    /** The legacy format: each byte as {@code {:x}}, without zero padding. */
    static String legacy(String hex) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 2) {
            b.append(Integer.toHexString(Integer.parseInt(hex.substring(i, i + 2), 16)));
        }
        return b.toString();
    }
}
