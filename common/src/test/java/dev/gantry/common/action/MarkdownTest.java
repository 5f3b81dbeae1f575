package dev.gantry.common.action;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MarkdownTest {
    static final String HOSTILE = "<img src=x onerror=alert(1)> ![p](https://evil.example/p.png) [click](https://evil.example)"
            + " </details> **bold** `code` | cell | https://evil.example/login www.evil.example\n# heading";

    /** {@code md} without its code spans (where nothing is markup), checked for {@code seq} not escaped. */
    static boolean live(String md, String seq) {
        String outside = md.replaceAll("(`+)[^`].*?\\1", "");
        return java.util.regex.Pattern.compile("(?<!\\\\)" + java.util.regex.Pattern.quote(seq)).matcher(outside).find();
    }

    @Test
    void untrustedTextCarriesNoHtmlLinkImageOrAutolink() {
        String md = Markdown.escape(HOSTILE);
        assertThat(md).doesNotContain("<img").doesNotContain("</details>").doesNotContain("**").doesNotContain("\n");
        assertThat(live(md, "](")).isFalse();
        assertThat(live(md, "://")).isFalse();
        assertThat(live(md, "www.")).isFalse();
        assertThat(md)
                .contains("&lt;img src=x onerror=alert(1)&gt;").contains("https\\://evil.example/login")
                .contains("www\\.evil.example").contains("\\| cell \\|");
    }

    @Test
    void blockSyntaxAtTheStartIsEscaped() {
        assertThat(Markdown.escape("# not a heading")).isEqualTo("\\# not a heading");
        assertThat(Markdown.escape("- item")).isEqualTo("\\- item");
        assertThat(Markdown.escape("1. item")).isEqualTo("1\\. item");
        assertThat(Markdown.escape("dpl_abc is live")).isEqualTo("dpl_abc is live");
        assertThat(Markdown.escape("_emph_")).isEqualTo("\\_emph\\_");
    }

    @Test
    void onlyHttpUrlsBecomeLinksAndTheyShowThemselves() {
        assertThat(Markdown.link("https://shop.example.com/a_b?x=(1)").toString())
                .isEqualTo("[https://shop.example.com/a_b?x=(1)](https://shop.example.com/a_b?x=%281%29)");
        assertThat(Markdown.link("javascript:alert(1)").toString()).doesNotContain("](");
        assertThat(Markdown.link("https://user:pass@evil.example").toString()).doesNotContain("](");
        assertThat(Markdown.link("https://x.example/)(evil", "label").toString())
                .isEqualTo("[label](https://x.example/%29%28evil)");
    }

    @Test
    void codeSpansAndBlocksCannotBeLeft() {
        assertThat(Markdown.code("a`b").toString()).isEqualTo("``a`b``");
        assertThat(Markdown.codeBlock("```\n</details>", "text").toString()).startsWith("````text\n").endsWith("\n````\n");
    }

    @Test
    void formatEscapesEverythingButMarkdown() {
        assertThat(Markdown.format("**%s** at %s", "<b>x</b>", Markdown.code("id")).toString())
                .isEqualTo("**&lt;b&gt;x&lt;/b&gt;** at `id`");
    }

    @Test
    void theSummaryEscapesStringsEverywhere() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Log log = new Log(new PrintStream(buf, true, StandardCharsets.UTF_8), false);
        Summary s = new Summary(Map.of(), log);
        s.heading(HOSTILE, 3).paragraph(HOSTILE).bullets(List.of(HOSTILE))
                .table(List.of("a", "b"), List.of(List.of(HOSTILE, Markdown.code(HOSTILE))))
                .details(HOSTILE, Markdown.text(HOSTILE));
        String md = s.render();
        for (String seq : List.of("<img", "](", "://", "www.", "</details> ")) {
            assertThat(live(md.replaceAll("<details><summary>.*</summary>", ""), seq)).as(seq).isFalse();
        }
        assertThat(md).contains("<details><summary>&lt;img");
        // one closing tag outside code spans: ours
        assertThat(md.replaceAll("(`+)[^`].*?\\1", "").split("</details>", -1)).hasSize(2);
    }
}
