package dev.gantry.common.slack;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MrkdwnTest {

    @Test
    void untrustedTextCanNeverBecomeAMentionOrALink() {
        assertThat(Mrkdwn.text("<!channel> <@U024BE7LH> <https://evil.example|ok> & more").toString())
                .isEqualTo("&lt;!channel&gt; &lt;@U024BE7LH&gt; &lt;https://evil.example|ok&gt; &amp; more");
        assertThat(Mrkdwn.text("a\nb\u001b[31mc\u202Ed").toString()).as("one line, no control or bidi characters")
                .isEqualTo("a bcd");
        assertThat(Mrkdwn.lines("a\nb").toString()).isEqualTo("a\nb");
        assertThat(Mrkdwn.escape("&amp;")).as("an entity in the text is shown as written").isEqualTo("&amp;amp;");
    }

    @Test
    void onlyHttpUrlsBecomeLinksAndNothingInThemEndsTheSequence() {
        assertThat(Mrkdwn.link("https://shop.example.com/a?b=1&c=2", "Live <URL>").toString())
                .isEqualTo("<https://shop.example.com/a?b=1&amp;c=2|Live &lt;URL&gt;>");
        assertThat(Mrkdwn.link("https://x.example/a%7Cb", "x|y").toString()).isEqualTo("<https://x.example/a%7Cb|x\u2758y>");
        assertThat(Mrkdwn.link("https://x.example/a|b>c", "x").toString()).as("no URL: text")
                .isEqualTo("x: https://x.example/a|b&gt;c");
        assertThat(Mrkdwn.link("javascript:alert(1)", "click").toString()).isEqualTo("click: javascript:alert(1)");
        assertThat(Mrkdwn.link("https://user:pw@x.example/", "x").toString()).doesNotContain("<");
        assertThat(Mrkdwn.link("slack://channel?id=C1", "x").toString()).doesNotContain("<");
        assertThat(Mrkdwn.target("<!channel>")).isNull();
    }

    @Test
    void codeCannotBeLeft() {
        assertThat(Mrkdwn.code("a`b").toString()).isEqualTo("`a\u02CBb`");
        assertThat(Mrkdwn.codeBlock("x\n```\n<!here>").toString()).isEqualTo("```\nx\n\u02CB\u02CB\u02CB\n&lt;!here&gt;\n```");
        assertThat(Mrkdwn.bold("*not* bold <x>").toString()).isEqualTo("*\u2217not\u2217 bold &lt;x&gt;*");
    }

    @Test
    void formatEscapesItsArguments() {
        assertThat(Mrkdwn.format("*%s* in %s", "<@U1>", Mrkdwn.code("x")).toString()).isEqualTo("*&lt;@U1&gt;* in `x`");
    }

    @Test
    void clipCutsWhereNothingBreaksAndSaysSo() {
        Mrkdwn m = Mrkdwn.of("*T*\n```\n").append(Mrkdwn.lines("line\n".repeat(100))).append("```");
        String c = m.clip(120, "_cut_").toString();
        assertThat(c.length()).isLessThanOrEqualTo(120);
        assertThat(c).endsWith("```\n_cut_");
        assertThat(c.split("```", -1).length % 2).isEqualTo(1);

        String amp = Mrkdwn.text("&".repeat(100)).clip(50, "_cut_").toString();
        assertThat(amp).doesNotContainPattern("&(?!amp;)").endsWith("\n_cut_");
        String link = Mrkdwn.text("x".repeat(30)).append(Mrkdwn.link("https://example.com/" + "p".repeat(80), "l"))
                .clip(60, "_cut_").toString();
        assertThat(link).doesNotContain("<").endsWith("_cut_");
        assertThat(Mrkdwn.text("short").clip(60, "_cut_").toString()).isEqualTo("short");
    }
}
