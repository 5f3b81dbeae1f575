package dev.gantry.common.vercel;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A POSIX tar writer (pax interchange format, IEEE 1003.1-2001 {@code ustar} headers) for the tgz archive: regular
 * files and symbolic links, nothing else.
 * <ul>
 *   <li>Every entry is one 512-byte {@code ustar} header (magic {@code "ustar\0"}, version {@code "00"}, numeric fields
 *       in zero-padded octal, the checksum the spec defines: the sum of the header's bytes as unsigned values with the
 *       checksum field counted as eight spaces), then the data padded with zeros to a whole block.</li>
 *   <li>A name that does not fit {@code ustar} (100 bytes of UTF-8 in {@code name}, or a split at a {@code '/'} into
 *       at most 155 bytes of {@code prefix} and 100 of {@code name}), a link target over 100 bytes, a size of 8 GiB or
 *       more, or an mtime outside 11 octal digits gets a pax extended header (typeflag {@code 'x'}) before its entry,
 *       with {@code path}, {@code linkpath}, {@code size} or {@code mtime} records; the {@code ustar} fields then hold
 *       a truncated name / zero, which pax readers ignore.</li>
 *   <li>uid and gid 0, empty uname and gname, one mtime for the whole archive (whole seconds).</li>
 *   <li>{@link #finish()} writes the end-of-archive marker: two zero blocks. There is no padding to a 10 KiB record
 *       (as tar-fs, which the Vercel CLI uses, and commons-compress write it; GNU and BSD tar read it).</li>
 * </ul>
 * Names are written as given: relative POSIX paths, encoded in UTF-8.
 */
final class TarWriter implements Closeable {
    static final int BLOCK = 512;
    /** The largest value of an 11-digit octal field (size, mtime): 8 GiB - 1. */
    static final long MAX_OCTAL_11 = 077777777777L;
    static final int NAME_LEN = 100;
    static final int PREFIX_LEN = 155;

    static final byte REGULAR = '0';
    static final byte SYMLINK = '2';
    static final byte PAX = 'x';

    private final OutputStream out;
    private final long mtime;
    private final byte[] buffer = new byte[64 * 1024];
    private boolean finished;
    private boolean broken;

    /** Writes to {@code out}; every entry gets {@code mtime} (seconds since the epoch). */
    TarWriter(OutputStream out, long mtime) {
        this.out = out;
        this.mtime = mtime;
    }

    /**
     * A regular file of exactly {@code size} bytes read from {@code content}; fails if {@code content} is shorter or
     * longer (the file changed while it was archived).
     */
    void file(String name, int mode, long size, InputStream content) throws IOException {
        if (size < 0) throw new IllegalArgumentException("negative size for " + name);
        boolean ok = false;
        try {
            out.write(header(name, mode, REGULAR, size, null, mtime));
            long copied = 0;
            while (copied < size) {
                int n = content.read(buffer, 0, (int) Math.min(buffer.length, size - copied));
                if (n < 0) {
                    throw new IOException(name + " has " + copied + " bytes, not the " + size
                            + " it had when the archive started it (did it change while it was archived?)");
                }
                out.write(buffer, 0, n);
                copied += n;
            }
            if (content.read() >= 0) {
                throw new IOException(name + " has more than the " + size
                        + " bytes it had when the archive started it (did it change while it was archived?)");
            }
            pad(size);
            ok = true;
        } finally {
            if (!ok) broken = true;
        }
    }

    /** A symbolic link to {@code target} (the link text, as it is). */
    void symlink(String name, int mode, String target) throws IOException {
        if (target == null || target.isEmpty()) throw new IllegalArgumentException("symlink " + name + " has no target");
        boolean ok = false;
        try {
            out.write(header(name, mode, SYMLINK, 0, target, mtime));
            ok = true;
        } finally {
            if (!ok) broken = true;
        }
    }

    /** Writes the two zero blocks that end the archive (once); does not close the stream. */
    void finish() throws IOException {
        if (finished) return;
        if (broken) throw new IOException("the archive is incomplete: an entry failed");
        out.write(new byte[2 * BLOCK]);
        finished = true;
    }

    /** Finishes the archive unless an entry failed, then closes the stream. */
    @Override
    public void close() throws IOException {
        try {
            if (!broken) finish();
        } finally {
            out.close();
        }
    }

    private void pad(long size) throws IOException {
        int rest = (int) (size % BLOCK);
        if (rest != 0) out.write(new byte[BLOCK - rest]);
    }

    /**
     * The header block(s) of one entry: a pax extended header with its records when the entry needs one, then the
     * {@code ustar} header.
     */
    static byte[] header(String name, int mode, byte type, long size, String linkName, long mtime) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("an entry needs a name");
        if (name.indexOf('\0') >= 0 || (linkName != null && linkName.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("NUL in the name or link of " + name);
        }
        if (mode < 0 || mode > 07777777) throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " of " + name);
        Map<String, String> pax = new LinkedHashMap<>();

        byte[] full = name.getBytes(StandardCharsets.UTF_8);
        byte[] nameField;
        byte[] prefixField = new byte[0];
        int split = split(full);
        if (full.length <= NAME_LEN) {
            nameField = full;
        } else if (split > 0) {
            prefixField = Arrays.copyOfRange(full, 0, split);
            nameField = Arrays.copyOfRange(full, split + 1, full.length);
        } else {
            pax.put("path", name);
            nameField = truncate(full, NAME_LEN);
        }

        byte[] linkField = new byte[0];
        if (linkName != null) {
            linkField = linkName.getBytes(StandardCharsets.UTF_8);
            if (linkField.length > NAME_LEN) {
                pax.put("linkpath", linkName);
                linkField = truncate(linkField, NAME_LEN);
            }
        }

        long ustarSize = size;
        if (size > MAX_OCTAL_11) {
            pax.put("size", Long.toString(size));
            ustarSize = 0;
        }
        long ustarTime = mtime;
        if (mtime < 0 || mtime > MAX_OCTAL_11) {
            pax.put("mtime", Long.toString(mtime));
            ustarTime = 0;
        }

        ByteArrayOutputStream b = new ByteArrayOutputStream(pax.isEmpty() ? BLOCK : 4 * BLOCK);
        if (!pax.isEmpty()) {
            byte[] records = paxRecords(pax);
            b.writeBytes(ustar(paxHeaderName(full), new byte[0], 0644, PAX, records.length, new byte[0], ustarTime));
            b.writeBytes(records);
            int rest = records.length % BLOCK;
            if (rest != 0) b.writeBytes(new byte[BLOCK - rest]);
        }
        b.writeBytes(ustar(nameField, prefixField, mode, type, ustarSize, linkField, ustarTime));
        return b.toByteArray();
    }

    /**
     * Where to cut {@code name} into prefix / name for {@code ustar}: the first {@code '/'} after which at most 100
     * bytes remain, if the prefix before it has at most 155 bytes and both halves are non-empty; else -1. A
     * {@code '/'} byte never occurs inside a multi-byte UTF-8 sequence, so the cut is between characters.
     */
    static int split(byte[] name) {
        for (int i = 1; i < name.length - 1; i++) {
            if (name[i] != '/') continue;
            if (name.length - i - 1 > NAME_LEN) continue;
            return i <= PREFIX_LEN ? i : -1;
        }
        return -1;
    }

    /** The pax records, each {@code "<length> <key>=<value>\n"} where length counts the whole record, itself included. */
    static byte[] paxRecords(Map<String, String> records) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        records.forEach((k, v) -> b.writeBytes(paxRecord(k, v)));
        return b.toByteArray();
    }

    static byte[] paxRecord(String key, String value) {
        byte[] body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
        int length = body.length + 1;
        // the length's own digits count; adding them may add a digit (e.g. 98 + 2 = 100), so repeat until stable
        while (body.length + decimalDigits(length) != length) length = body.length + decimalDigits(length);
        byte[] head = Integer.toString(length).getBytes(StandardCharsets.US_ASCII);
        byte[] record = Arrays.copyOf(head, length);
        System.arraycopy(body, 0, record, head.length, body.length);
        return record;
    }

    private static int decimalDigits(int n) {
        return Integer.toString(n).length();
    }

    /** The name of a pax header entry (what a reader without pax support extracts it as): ASCII, '/' as '_'. */
    private static byte[] paxHeaderName(byte[] name) {
        StringBuilder s = new StringBuilder("./PaxHeaders.X/");
        for (byte c : name) s.append(c == '/' || c < 0x20 ? '_' : (char) c);
        return truncate(s.toString().getBytes(StandardCharsets.US_ASCII), NAME_LEN);
    }

    /** At most {@code max} bytes of UTF-8, not cutting a character. */
    private static byte[] truncate(byte[] utf8, int max) {
        if (utf8.length <= max) return utf8;
        int end = max;
        while (end > 0 && (utf8[end] & 0xC0) == 0x80) end--; // utf8[end] continues the character before: cut before it
        return Arrays.copyOf(utf8, end);
    }

    private static byte[] ustar(byte[] name, byte[] prefix, int mode, byte type, long size, byte[] linkName, long mtime) {
        byte[] h = new byte[BLOCK];
        System.arraycopy(name, 0, h, 0, name.length);          // name      0..100
        octal(h, 100, 8, mode);                                 // mode    100..108
        octal(h, 108, 8, 0);                                    // uid     108..116
        octal(h, 116, 8, 0);                                    // gid     116..124
        octal(h, 124, 12, size);                                // size    124..136
        octal(h, 136, 12, mtime);                               // mtime   136..148
        h[156] = type;                                          // typeflag 156
        System.arraycopy(linkName, 0, h, 157, linkName.length); // linkname 157..257
        System.arraycopy(MAGIC, 0, h, 257, MAGIC.length);       // magic "ustar\0" 257..263, version "00" 263..265
        // uname 265..297 and gname 297..329 stay empty
        octal(h, 329, 8, 0);                                    // devmajor 329..337
        octal(h, 337, 8, 0);                                    // devminor 337..345
        System.arraycopy(prefix, 0, h, 345, prefix.length);     // prefix  345..500
        long sum = checksum(h);
        // chksum 148..156: six octal digits, NUL, space (the layout GNU tar and commons-compress write)
        octalDigits(h, 148, 6, sum);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static final byte[] MAGIC = {'u', 's', 't', 'a', 'r', 0, '0', '0'};

    /** The sum of the header's bytes as unsigned values, the checksum field (148..156) counted as eight spaces. */
    static long checksum(byte[] header) {
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xff;
        return sum;
    }

    /** {@code value} in a numeric field of {@code length} bytes: zero-padded octal digits and a space. */
    private static void octal(byte[] h, int offset, int length, long value) {
        octalDigits(h, offset, length - 1, value);
        h[offset + length - 1] = ' ';
    }

    private static void octalDigits(byte[] h, int offset, int count, long value) {
        String digits = Long.toOctalString(value);
        if (value < 0 || digits.length() > count) {
            throw new IllegalArgumentException(value + " does not fit " + count + " octal digits");
        }
        int pad = count - digits.length();
        for (int i = 0; i < pad; i++) h[offset + i] = '0';
        for (int i = 0; i < digits.length(); i++) h[offset + pad + i] = (byte) digits.charAt(i);
    }
}
