package dev.gantry.common.github;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportTextTest {

    @Test
    void markerIsAHiddenHtmlCommentThatNoKeyCanBreakOutOf() {
        assertThat(ReportText.marker("vercel-deploy:preview")).isEqualTo("<!-- gantry:vercel-deploy:preview -->");
        assertThat(ReportText.marker("do-deploy:my env --> <b>x</b>"))
                .isEqualTo("<!-- gantry:do-deploy:my_env_-___b_x_/b_ -->")
                .satisfies(m -> assertThat(m.indexOf("--", 4)).isEqualTo(m.length() - 3));
        assertThatThrownBy(() -> ReportText.marker(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStatusDescriptionIsOneCleanLineWithinGitHubsLimit() {
        assertThat(ReportText.statusDescription("build failed:\n::error::x\r\n\u001b[31mred\u001b[0m  done"))
                .isEqualTo("build failed: ::error::x red done");
        assertThat(ReportText.statusDescription("a".repeat(300))).hasSize(ReportText.MAX_STATUS_DESCRIPTION).endsWith("…");
        assertThat(ReportText.statusDescription(" \n ")).isNull();
        assertThat(ReportText.statusDescription(null)).isNull();
    }

    @Test
    void onlyABodyThatStartsWithTheMarkerIsOurs() {
        String m = ReportText.marker("smoke-test:production");
        assertThat(ReportText.carries(m + "\nreport", m)).isTrue();
        assertThat(ReportText.carries("\n" + m + "\nreport", m)).isTrue();
        assertThat(ReportText.carries("> quoting " + m, m)).isFalse();
        assertThat(ReportText.carries(ReportText.marker("smoke-test:production-eu") + "\nx", m)).isFalse();
        assertThat(ReportText.carries(null, m)).isFalse();
    }

    @Test
    void aBodyWithinTheLimitIsKeptAsItIs() {
        String md = "x".repeat(ReportText.MAX_BODY - "<!-- m -->\n".length());
        assertThat(ReportText.body("<!-- m -->", md, "u")).isEqualTo("<!-- m -->\n" + md).hasSize(ReportText.MAX_BODY);
        assertThat(ReportText.body("", "plain", null)).isEqualTo("plain");
    }

    @Test
    void aLongBodyIsCutAtALineClosesItsCodeFenceAndPointsToTheRun() {
        String md = "## Log\n```text\n" + "0123456789 abcdefghij\n".repeat(5_000);
        String out = ReportText.body("<!-- m -->", md, "https://github.com/acme/shop/actions/runs/1");
        assertThat(out.length()).isLessThanOrEqualTo(ReportText.MAX_BODY).isGreaterThan(ReportText.MAX_BODY - 2_100);
        assertThat(out).startsWith("<!-- m -->\n## Log\n```text\n")
                .contains("0123456789 abcdefghij\n```\n\n> **Truncated:**")
                .endsWith("workflow run: https://github.com/acme/shop/actions/runs/1\n");
        assertThat(ReportText.openFence(out)).isNull();
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String md = "😀".repeat(40_000); // 80,000 UTF-16 units, no newline to cut at
        String out = ReportText.body("", md, null);
        String kept = out.substring(0, out.indexOf("\n\n> **Truncated:**"));
        assertThat(kept.codePoints().allMatch(c -> c == 0x1F600)).isTrue();
        assertThat(out.length()).isLessThanOrEqualTo(ReportText.MAX_BODY);
    }

    @Test
    void openFenceTracksTheFenceKind() {
        assertThat(ReportText.openFence("a\n```\nb")).isEqualTo("```");
        assertThat(ReportText.openFence("a\n```js\nb\n```\n")).isNull();
        assertThat(ReportText.openFence("~~~\n```\nstill inside\n")).isEqualTo("~~~");
    }

    @Test
    void openFenceKnowsLongerFencesAndTheirClosingRules() {
        // a three-backtick line inside a four-backtick fence does not close it
        assertThat(ReportText.openFence("````md\n```\ninner\n```\n")).isEqualTo("````");
        assertThat(ReportText.openFence("````md\n```\ninner\n```\n````\n")).isNull();
        assertThat(ReportText.openFence("```\nx\n```` \n")).isNull(); // longer closes, trailing spaces allowed
        assertThat(ReportText.openFence("```\nx\n``` not a close\n")).isEqualTo("```");
        assertThat(ReportText.openFence("``` `inline` ```\n")).isNull(); // a backtick in the info string: no fence
        assertThat(ReportText.openFence("    ```\n")).isNull(); // four spaces: indented code, not a fence
    }

    @Test
    void theTruncationNoteLandsOutsideAFourBacktickFence() {
        String md = "````markdown\n```\n" + "quoted fence content line\n".repeat(4_000);
        String out = ReportText.body("<!-- m -->", md, "https://github.com/acme/shop/actions/runs/1");
        assertThat(out.length()).isLessThanOrEqualTo(ReportText.MAX_BODY);
        String beforeNote = out.substring(0, out.indexOf("> **Truncated:**"));
        assertThat(ReportText.openFence(beforeNote)).as("the note is read as Markdown").isNull();
        assertThat(out).contains("content line\n````\n\n> **Truncated:**");
    }

    @Test
    void theTruncationNoteLandsOutsideOpenDetailsBlocksAndHtmlComments() {
        String details = "<details><summary>Logs</summary>\n\n" + "a log line without end\n".repeat(4_000);
        String out = ReportText.body("", details, null);
        assertThat(out).contains("a log line without end\n</details>\n\n> **Truncated:**");
        String comment = "<!-- a note that never ends\n" + "more of it\n".repeat(8_000);
        assertThat(ReportText.body("", comment, null)).contains("more of it -->\n\n> **Truncated:**");
        // a tag inside code does not count
        assertThat(ReportText.closing("`<details>` in a code span\n```\n<details>\n```\n")).isEmpty();
    }

    @Test
    void titlesAreOneLine() {
        assertThat(ReportText.title("Incident: prod\n::error::x\r\n\tagain")).isEqualTo("Incident: prod ::error::x again");
        assertThat(ReportText.title("\u001b[31mred")).doesNotContain("\u001b");
        assertThat(ReportText.title("t".repeat(300))).hasSize(ReportText.MAX_TITLE);
        assertThat(ReportText.title("  ")).isEqualTo("(untitled)");
    }

    @Test
    void clipEndsWithAnEllipsis() {
        assertThat(ReportText.clip("short", 140)).isEqualTo("short");
        String clipped = ReportText.clip("d".repeat(200), 140);
        assertThat(clipped).hasSize(140).endsWith("…");
        assertThat(ReportText.clip(null, 10)).isNull();
    }
}
