package io.mailops.archiver.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.parser.Parser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HtmlTextTest {

  /** The bench stores (bench/archive.sh); absent in CI, where the corpus test is skipped. */
  /** The archive bench's sample stores (bench/archive.sh makes them), when they are there. */
  static final Path BENCH = Path.of(System.getProperty("mailops.bench.archive",
      "../bench/out/archive"));

  private static String jsoup(String html) {
    return Jsoup.parse(html).text();
  }

  private static void assertAccepted(String html) {
    assertThat(HtmlText.text(html)).as("text of %s", html).isNotNull().isEqualTo(jsoup(html));
  }

  private static void assertRefused(String html) {
    assertThat(HtmlText.text(html)).as("text of %s", html).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "   \n ",
      "plain text",
      "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>Re: the plan</title>\n"
          + "</head>\n<body style=\"font-family: Arial, sans-serif;\">\n<p><img src=\"cid:x\" "
          + "alt=\"logo\"></p>\n<p>Hi Erin,</p>\n<p>one<br>\ntwo &gt; three &amp; four</p>\n"
          + "</body>\n</html>\n",
      // whitespace of every kind, NBSP as a character and as a reference, invisible characters
      "<p> a \t\r\n\f b\u00a0\u00a0c&nbsp;&nbsp;d \u200b e\u00adf</p>",
      "a\u200b b \u200b c",
      // block and br spacing, inline elements without spaces
      "<div>One</div>Two<span>x</span><b>y</b><div><p>a</p>b</div>c",
      "<span>a</span><span>b</span><br>c<br/><br>d",
      "x<span><div>a</div></span>b",
      "<div>a</div><!-- c -->b",
      "<div>a</div>\n<!-- c -->\n<span>b</span>",
      // title keeps its whitespace; script and style content are left out
      "<title>  Two   spaces\tand a tab </title><p>x</p>",
      "<head><title>T</title><style>p { color: red }</style><script>var a = 1 < 2;</script>"
          + "</head><body>b<script>if (a) { x(); }</script>c<style>.x{}</style>d</body>",
      // p and li closed by what follows
      "<p>one<p>two<div>three</div><ul><li>a<li>b<p>c</ul>d",
      "<ol><li>a</li><li>b<b>c</b></li></ol><h1>H</h1><h2>x</h2><hr>after",
      "<div><p>x</div>y",
      // attributes with quotes and '>' inside quoted values
      "<p class='a>b' id=\"c>d\" data-x=plain hidden>text</p>",
      "<a href=\"http://example.com/?a=1&amp;b=2\" title='x'>link</a> after",
      // character references
      "&amp; &lt; &gt; &quot; &#39; &#x41; &#128; &copy; &copy &AMP; &bogus; & &#; &ampx",
      "<title>&amp;T&lt;itle&gt; &copy</title>",
      // missing structure: no html, head or body tags
      "<title>T</title><p>body</p>",
      "<meta charset=utf-8>text",
      "text</body></html>",
      "<p>a</p></body>\n</html>\n<!-- trailer -->\n",
      "<p>a</p></body>more<p>b</p>",
      "<body><p>x</p></body><span>a</span></html><span>b</span>",
      "<!-- first --><!DOCTYPE html><html><!-- c --><head> <!-- d --> </head> <body>x</body>",
      "<B>Upper</B> <P CLASS=x>case</P>",
      "<b><b><b><b>deep</b></b></b></b> nested",
      // a byte order mark, surrogates (paired and lone), control characters at the ends
      "\ufeff<p>bom</p>",
      "<p>\ud83d\ude00 \ud83d x \ude00</p>",
      "\u0001<p>\u000b a \u0002</p>\u001f",
      // a comment ending in dashes, "--!" inside, end tags with spaces, a tag read on at '<'
      "<p>a<!-- x ---><!-- y --!-->b</p >c<b\n>d</b\t>",
      "a<b and c>d</b>",
      // li without a list, li closing li through a p, p closing inside li
      "<div><li>a<li>b</div><ul><li><p>c<li>d</ul>",
      "<p><li>x",
      // tables: implied tbody and tr, cells closed by the next cell or row, whitespace kept
      "<table><tr><td>a</td><td>b</td></tr>\n<tr><th>c<td>d</table>e",
      "<div><table> <tbody> <tr> <td><p>x<td><b>y</b></td> </tr> </tbody> </table></div>z",
      "<table><td>a<table><tr><td>in</table>b</td></table><span>c</span>",
      "<table><tr><td>x</table></body>y",
      "<table><!-- c --><thead><tr><td>h</td></tr></thead><tbody><tr><td>1</td></tr></table>",
      // pre keeps its whitespace (five ancestors up), drops one LF after its start tag
      "<p>a<pre>\n  keep \u00a0 &nbsp;\u200b <b> bold\t</b>\n</pre>after <pre>\r\nx\n\n</pre>",
      "<pre><span><span><span><span><span>six</span></span></span></span></span>\n\n</pre>",
      "<pre><span><span><span><span><span><span> seven  deep </span></span></span></span></span></span></pre>",
      "<h1>a</h1>\n<h2>b</h2>text<hr/>x<br>",
      // title in the body, script in the head with "</p>" inside, CR LF in the title
      "<p>a<title> in\r\nbody </title>b</p><script>x = '</p>';</script>c",
  })
  void acceptedHtmlShouldGiveJsoupsText(String html) {
    assertAccepted(html);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "<textarea> a </textarea>",
      "<o:p>outlook</o:p>",
      "<custom-tag>x</custom-tag>",
      "a < b",
      "a <3 b",
      "<p>x<b>y</p>z</b>",
      "<b>x<i>y</b>z</i>",
      "<p><span>a<div>b</div></span></p>",
      "<span>x</div>",
      "</p>x",
      "<!-->x",
      "<!--- x",
      "<!-- unterminated",
      "<p class=\"unterminated>x</p>",
      "<p a=b\"c>x</p>",
      "<svg><text>x</text></svg>",
      "<script><!-- x --></script>",
      "<title>never closed",
      "<div/>x",
      "<![CDATA[x]]>",
      "<a href=x>1<a href=y>2</a>",
      "x\u0000y",
      "<p>a</p><!DOCTYPE html>",
      "<head><title>T</title></head>\n<title>again</title>",
      "<title>x</title >y",
      "<h1>a<h2>b</h2></h1>",
      "<b>x</b></b>y",
      "</br>",
      "<p>a&#0;b</p>",
      "<table>text<tr><td>x</table>",
      "<table><tr><td>x</td></tr><span>y</span></table>",
      "<p>a<table><tr><td>x</table>",
      "<table><caption>c</caption></table>",
      "<b><table><tr><td>x</b></td></table>",
      "<!DOCTYPE html",
      "<p",
  })
  void unusualHtmlShouldBeLeftToJsoup(String html) {
    assertRefused(html);
  }

  @Test
  void longInputShouldBeLeftToJsoup() {
    assertRefused("<p>" + "x".repeat(HtmlText.MAX_LENGTH) + "</p>");
    assertAccepted("<p>" + "x ".repeat(HtmlText.MAX_LENGTH / 2 - 8) + "</p>");
  }

  @Test
  void fastEntitiesShouldDecodeAsJsoupDoes() {
    for (String ref : new String[] {"&amp;", "&lt;", "&gt;", "&quot;", "&nbsp;"}) {
      String t = "a" + ref + "b";
      assertThat(HtmlText.text("<title>" + t + "</title>"))
          .isEqualTo(Parser.unescapeEntities(t, false));
    }
  }

  @Test
  void randomDocumentsShouldGiveJsoupsTextOrNull() {
    Random random = new Random(20261123L);
    int[] messRates = {0, 12, 3};  // well-formed; now and then a broken construct; often
    int[] total = new int[3];
    int[] accepted = new int[3];
    for (int i = 0; i < 24_000; i++) {
      int m = i % 3;
      String html = new RandomHtml(random, messRates[m]).document();
      String fast = HtmlText.text(html);
      if (fast != null) {
        assertThat(fast).as("text of %s", html).isEqualTo(jsoup(html));
      }
      total[m]++;
      accepted[m] += fast != null ? 1 : 0;
    }
    System.out.printf("HtmlText random: accepted (same text as Jsoup) of generated: well-formed "
        + "%d of %d, slightly broken %d of %d, broken %d of %d%n", accepted[0], total[0],
        accepted[1], total[1], accepted[2], total[2]);
    assertThat(accepted[0]).as("well-formed accepted").isGreaterThan(total[0] * 95 / 100);
    assertThat(accepted[1]).as("slightly broken accepted").isGreaterThan(total[1] / 5);
    assertThat(accepted[2]).as("broken accepted").isGreaterThan(total[2] / 40);
    assertThat(accepted[2]).as("broken refused").isLessThan(total[2] / 2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mixed", "big"})
  void everyHtmlPartOfTheBenchStoresShouldGiveJsoupsText(String store) throws Exception {
    Path dir = BENCH.resolve(store);
    // JUnit's own assumption: AssertJ's takes JUnit 4's exception when a jar on the test class
    // path has it, which needs Hamcrest (NoClassDefFoundError instead of a skipped test)
    assumeTrue(Files.isDirectory(dir), () -> "bench store " + dir.toAbsolutePath()
        + " (bench/archive.sh makes it)");
    List<String> parts = htmlParts(dir);
    int refused = 0;
    for (String html : parts) {
      String fast = HtmlText.text(html);
      if (fast == null) {
        refused++;
      } else {
        assertThat(fast).isEqualTo(jsoup(html));
      }
    }
    System.out.printf("HtmlText corpus %s: %d HTML parts, %d left to Jsoup%n", store,
        parts.size(), refused);
    assertThat(refused).isLessThanOrEqualTo(parts.size() / 100);
  }

  /** The inline text/html parts of every message under dir, decoded as MessageParser does. */
  static List<String> htmlParts(Path dir) throws IOException {
    Session session = Session.getInstance(new Properties());
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        if (!file.getParent().getFileName().toString().matches("cur|new")) {
          continue;
        }
        try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(file))) {
          collect(new MimeMessage(session, in), out, 0);
        } catch (Exception e) {
          // a message Jakarta Mail cannot walk has no part to compare
        }
      }
    }
    return out;
  }

  private static void collect(Part part, List<String> out, int depth) throws Exception {
    if (depth > 20) {
      return;
    }
    ContentType type = new ContentType(part.getContentType());
    String base = type.getBaseType().toLowerCase(Locale.ROOT);
    if (base.startsWith("multipart/") && part.getContent() instanceof Multipart m) {
      for (int i = 0; i < m.getCount(); i++) {
        BodyPart child = m.getBodyPart(i);
        collect(child, out, depth + 1);
      }
    } else if (base.equals("message/rfc822") && part.getContent() instanceof Part nested) {
      collect(nested, out, depth + 1);
    } else if (base.equals("text/html") && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())
        && part.getFileName() == null) {
      try (InputStream in = part.getInputStream()) {
        out.add(MessageParser.decode(in.readAllBytes(), type.getParameter("charset")));
      }
    }
  }

  /** Random HTML from a small grammar: well-formed in the handled subset, or anything. */
  static final class RandomHtml {
    private static final String[] BLOCKS = {"div", "p", "blockquote", "section", "ul", "ol",
        "h1", "h3", "center", "article", "header", "footer", "nav", "aside", "address", "li",
        "main", "ins", "del", "dl", "details", "summary", "figure", "figcaption", "fieldset", "pre"};
    private static final String[] INLINES = {"span", "b", "i", "u", "em", "strong", "a",
        "font", "small", "code", "sub", "sup", "abbr", "cite", "q", "mark", "time", "label",
        "big", "s", "strike", "tt", "kbd", "var", "dfn", "samp", "bdi", "data"};
    private static final String[] OTHERS = {"textarea", "th", "thead", "col", "o:p",
        "custom-el", "button", "select", "option", "form", "input", "iframe", "noscript",
        "template", "svg", "math", "xmp", "dd", "dt", "nobr", "object", "body", "html", "head",
        "h2", "image", "frameset", "plaintext", "caption", "tbody", "listing", "rb", "ruby"};
    private static final String[] WORDS = {"alpha", "beta", "gamma", "Übung", "naïve", "x",
        "1,234", "e-mail", "日本", "a", "\uD83D\uDE00", "foo.bar", "---", "''", "\u0001"};
    private static final String[] SPACES = {" ", "  ", "\n", "\r\n", "\t", "\f", "\u00a0",
        "&nbsp;", " \u00a0 ", "\u200b", "\u00ad", "&#32;", "&#160;", "\u3000", "\u000b"};
    private static final String[] ENTITIES = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;",
        "&#x41;", "&#128;", "&#0;", "&#xD800;", "&copy;", "&copy", "&AMP;", "&bogus;", "&",
        "&#;", "&ampx", "&amp", "&lt", "&notin;", "&notit;", "&#1114112;", "&apos;", "&Eacute;",
        "&zwnj;", "&shy;"};

    private final Random r;
    private final boolean wellFormed;
    private final int messRate;
    private final StringBuilder b = new StringBuilder();

    /** messRate: 0 for well-formed HTML, else a broken construct at 1 of messRate choices. */
    RandomHtml(Random r, int messRate) {
      this.r = r;
      this.wellFormed = messRate == 0;
      this.messRate = messRate;
    }

    private boolean mess() {
      return !wellFormed && r.nextInt(messRate) == 0;
    }

    String document() {
      if (r.nextInt(3) > 0) {
        b.append(r.nextBoolean() ? "<!DOCTYPE html>" : "<!doctype html PUBLIC \"-//W3C//DTD\">");
        ws();
      }
      boolean html = r.nextInt(3) > 0;
      if (html) {
        b.append(r.nextBoolean() ? "<html>" : "<HTML lang=\"en\">");
        ws();
      }
      if (r.nextInt(3) > 0) {
        b.append("<head>");
        ws();
        for (int i = r.nextInt(4); i > 0; i--) {
          headItem();
          ws();
        }
        if (r.nextInt(4) > 0) {
          b.append("</head>");
        }
        ws();
      } else if (r.nextBoolean()) {
        headItem();
      }
      boolean body = r.nextInt(3) > 0;
      if (body) {
        b.append(r.nextBoolean() ? "<body>" : "<body style=\"a: b;\" class='x'>");
      }
      content(r.nextInt(4) + 1, null);
      if (body && r.nextBoolean()) {
        b.append("</body>");
        ws();
      }
      if (html && r.nextBoolean()) {
        b.append("</html>");
        ws();
      }
      if (mess()) {
        content(1, null);
      }
      if (r.nextInt(5) == 0) {
        b.append("<!-- trailer -->");
        ws();
      }
      return b.toString();
    }

    private void headItem() {
      switch (r.nextInt(6)) {
        case 0 -> b.append("<meta charset=\"utf-8\">");
        case 1 -> {
          b.append("<title>");
          text();
          b.append("</title>");
        }
        case 2 -> b.append("<style>p > a { x: \"</p>\" }</style>");
        case 3 -> b.append("<script>if (a < b && c) { d(\"<p>\"); }</script>");
        case 4 -> b.append("<link rel=stylesheet href='x.css'/>");
        default -> comment();
      }
    }

    private void ws() {
      if (r.nextBoolean()) {
        b.append(r.nextBoolean() ? "\n" : " \n  ");
      }
    }

    private void comment() {
      if (!mess()) {
        b.append("<!-- c").append(r.nextInt(10)).append(r.nextBoolean() ? " -- x -->" : " -->");
      } else {
        b.append(new String[] {"<!-->", "<!--->", "<!-- x --!>", "<!-- open", "<!x>", "<?x?>",
            "<!---->", "<![CDATA[ y ]]>"}[r.nextInt(8)]);
      }
    }

    private void text() {
      for (int i = r.nextInt(5); i >= 0; i--) {
        switch (mess() ? 4 + r.nextInt(2) : r.nextInt(4)) {
          case 0 -> b.append(SPACES[r.nextInt(SPACES.length)]);
          case 1 -> {
            String e = ENTITIES[r.nextInt(ENTITIES.length)];
            b.append(wellFormed && e.equals("&#0;") ? "&#1;" : e);  // U+0000 is refused
          }
          case 4 -> b.append(new String[] {"<", " < ", "<3", "a<b", "</ x>", "</>", ">"}
              [r.nextInt(7)]);
          case 5 -> b.append("\0");
          default -> b.append(WORDS[r.nextInt(WORDS.length)]);
        }
      }
    }

    private String attributes() {
      StringBuilder a = new StringBuilder();
      for (int i = r.nextInt(3); i > 0; i--) {
        a.append(new String[] {" class=\"x > y\"", " id='a\"b'", " data-v=plain", " hidden",
            " title = \"t\"", " href=\"?a=1&amp;b=2&c\"", " x=\"'\"", "\n style='a:b'"}
            [r.nextInt(8)]);
      }
      if (mess()) {
        a.append(new String[] {" a=\"open", " b=c\"d", " =x", " '", " c=>", " d=<", " e/f"}
            [r.nextInt(7)]);
      }
      return a.toString();
    }

    private void content(int budget, String parent) {
      int items = r.nextInt(4) + 1;
      for (int i = 0; i < items; i++) {
        int pick = mess() ? 10 + r.nextInt(3) : r.nextInt(10);
        if (pick <= 2 || budget <= 0) {
          text();
        } else if (pick == 3) {
          b.append(r.nextBoolean() ? "<br>" : r.nextBoolean() ? "<br/>" : "<BR />");
        } else if (pick == 4) {
          b.append(new String[] {"<img src=\"cid:x\" alt=\"logo\">", "<hr>", "<wbr>",
              "<meta name=x>", "<title>in body</title>", "<script>x()</script>",
              "<style>.y{}</style>"}[r.nextInt(7)]);
        } else if (pick == 5) {
          if (r.nextBoolean()) {
            comment();
          } else {
            table(budget, parent);
          }
        } else if (pick <= 7) {
          element(BLOCKS[r.nextInt(BLOCKS.length)], budget, parent);
        } else if (pick <= 9) {
          element(INLINES[r.nextInt(INLINES.length)], budget, parent);
        } else if (pick == 10) {
          element(OTHERS[r.nextInt(OTHERS.length)], budget, parent);
        } else if (pick == 11) {
          String[] all = r.nextBoolean() ? BLOCKS : INLINES;
          b.append("</").append(all[r.nextInt(all.length)]).append(">");  // stray end tag
        } else {
          String name = BLOCKS[r.nextInt(BLOCKS.length)];
          b.append('<').append(name).append(attributes()).append('>');  // never closed
          content(budget - 1, name);
        }
        if (r.nextInt(4) == 0) {
          ws();
        }
      }
    }

    private void table(int budget, String parent) {
      if (!mess() && ("p".equals(parent) || inline(parent))) {
        parent = "span";  // a table in a p is moved or closes it: not generated when well-formed
        b.append("<span>");
        content(budget - 1, parent);
        b.append("</span>");
        return;
      }
      b.append("<table").append(attributes()).append('>');
      ws();
      String section = r.nextBoolean() ? null : r.nextBoolean() ? "tbody" : "thead";
      if (section != null) {
        b.append('<').append(section).append('>');
      }
      for (int row = r.nextInt(3); row >= 0; row--) {
        if (r.nextInt(5) > 0) {
          b.append("<tr>");
        }
        for (int cell = r.nextInt(3); cell >= 0; cell--) {
          String name = r.nextInt(4) == 0 ? "th" : "td";
          b.append('<').append(name).append(attributes()).append('>');
          content(budget - 1, name);
          if (r.nextInt(3) > 0) {
            b.append("</").append(name).append('>');
          }
          if (r.nextInt(5) == 0) {
            comment();
          }
          ws();
        }
        if (r.nextBoolean()) {
          b.append("</tr>");
        }
        ws();
        if (mess()) {
          text();  // moved before the table
        }
      }
      if (section != null && r.nextBoolean()) {
        b.append("</").append(section).append('>');
      }
      if (!mess()) {
        b.append("</table>");
      }
    }

    private void element(String name, int budget, String parent) {
      boolean inline = List.of(INLINES).contains(name);
      if (!mess() && (("p".equals(parent) || inline(parent)) && !inline
          || name.equals("a") && b.indexOf("<a") >= 0)) {
        name = "span";  // a block inside a p or an inline element would be moved or closed
      }
      String open = r.nextInt(10) == 0 ? name.toUpperCase(Locale.ROOT) : name;
      b.append('<').append(open).append(attributes()).append('>');
      content(budget - 1, name);
      if (!mess()) {
        b.append("</").append(name).append(r.nextInt(10) == 0 ? " >" : ">");
      }
    }

    private static boolean inline(String parent) {
      return parent != null && List.of(INLINES).contains(parent);
    }
  }
}
