package dev.gantry.prismagate;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Checksums recorded by the real Prisma 6.19.3 (research notes §1.11). */
class ChecksumsTest {
    @Test
    void prismaRecordedChecksums() {
        assertThat(Checksums.of("hello")).isEqualTo("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(Checksums.of("-- CreateTable\nCREATE TABLE \"User\" (\n    \"id\" SERIAL NOT NULL,\n    \"name\" TEXT NOT NULL,\n\n    CONSTRAINT \"User_pkey\" PRIMARY KEY (\"id\")\n);\n"))
                .isEqualTo("23fa12323005545204f32b2aa91e856f4596b3fc8b54895de103de713b6aa0d7");
        assertThat(Checksums.of("-- AlterTable\r\nALTER TABLE \"User\" ADD COLUMN IF NOT EXISTS \"age\" INTEGER;\r\n"))
                .isEqualTo("1b2f5457480893b48f04017adcd3dacbf1d09575672583700e3ce3a3cd1e7d5b");
        assertThat(Checksums.of("\uFEFF-- bom\nCOMMENT ON TABLE \"User\" IS 'users';\n"))
                .isEqualTo("c7eebe1359772b20dd434976a60a85723f91568b20f212b869c7075bef61ee9f");
        byte[] latin1 = "-- caf\u00e9\nCOMMENT ON COLUMN \"User\".\"name\" IS 'n';\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(Checksums.of(new String(latin1, StandardCharsets.UTF_8)))
                .isEqualTo("983515d1658574cf2381bdf0ec8e028d9ec869246ae566ead61af1621275e6c8");
    }

    @Test
    void lineEndingVariantsMatchAsPrismaAccepts() {
        String crlf = "-- AlterTable\r\nALTER TABLE \"User\" ADD COLUMN IF NOT EXISTS \"age\" INTEGER;\r\n";
        String lf = crlf.replace("\r\n", "\n");
        assertThat(Checksums.matches(lf, Checksums.of(crlf))).isTrue();
        assertThat(Checksums.matches(crlf, Checksums.of(lf))).isTrue();
        assertThat(Checksums.matches(crlf, "79262e996ae27c57f8565640a4eb3a3ac8cedcdcdc187045dc4e1078024bdcee")).isTrue();
        assertThat(Checksums.matches(lf + "-- edited\n", Checksums.of(lf))).isFalse();
        assertThat(Checksums.matches(lf, null)).isFalse();
    }

    @Test
    void legacyUnpaddedChecksums() {
        String full = Checksums.of("x");
        String legacy = Checksums.legacy(full);
        assertThat(legacy.length()).isLessThanOrEqualTo(64);
        if (legacy.length() != 64) assertThat(Checksums.matches("x", legacy)).isTrue();
        assertThat(Checksums.legacy("0a0b")).isEqualTo("ab");
    }
}
