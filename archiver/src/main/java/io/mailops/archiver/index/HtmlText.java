package io.mailops.archiver.index;

import java.util.HashMap;
import java.util.Map;
import org.jsoup.nodes.Entities;
import org.jsoup.parser.Parser;
import org.jsoup.parser.Tag;

/**
 * The text of an HTML document without building a DOM: for the HTML it accepts, exactly the
 * string {@code Jsoup.parse(html).text()} gives (Jsoup 1.21.2), from one pass over the markup with
 * a stack of open element kinds instead of a node tree. It mirrors the parts of Jsoup that decide
 * the text: the tokeniser (tags, attributes, comments, character references, RCDATA and raw text
 * elements), the HTML5 tree builder's insertion modes up to the body, its implied end tags
 * ({@code <p>} and {@code <li>} closed by a following block) and {@code Element.text()}'s rules
 * (whitespace normalised to single spaces, NBSP counted as whitespace, zero-width space and soft
 * hyphen dropped, a space before a block or {@code <br>} and after a block followed by text or an
 * inline element, {@code <title>} text kept as is, script and style content left out).
 *
 * <p>Anything it does not mirror it refuses, and the caller parses with Jsoup: an unknown or
 * unhandled tag (tables, forms, {@code <textarea>}, {@code <svg>}, {@code <template>}, ...), markup the
 * tree builder would reorder or close implicitly (misnested formatting elements, an end tag that is
 * not the current element's), a bare {@code <}, a malformed comment or tag, a NUL character, or
 * input longer than {@link #MAX_LENGTH}. Character references other than a few common named ones
 * are decoded by Jsoup's own {@link Parser#unescapeEntities}. Stateless and thread-safe.
 */
final class HtmlText {

  /** Longer input is left to Jsoup (MessageParser reads at most 4 MB of a text part). */
  static final int MAX_LENGTH = 4 * 1024 * 1024;
  /** Deeper nesting is left to Jsoup (its scope searches stop at 100 elements). */
  private static final int MAX_DEPTH = 64;

  // What the tree builder does with a tag (in body unless said otherwise).
  private static final int HTML = 1;
  private static final int HEAD = 2;
  private static final int BODY = 3;
  /** Closes an open {@code <p>}; its end tag closes implied end tags first. */
  private static final int P_CLOSER = 4;
  private static final int HEADING = 5;
  private static final int LI = 6;
  /** A formatting element (active formatting list; adoption agency on its end tag). */
  private static final int FORMAT = 7;
  private static final int A = 8;
  /** Any other start tag: inserted as it is; its end tag must close the current element. */
  private static final int PLAIN = 9;
  /** img, br, wbr: void, inserted where they stand. */
  private static final int VOID = 10;
  private static final int HR = 11;
  /** meta, link, base: void, processed with the in-head rules. */
  private static final int HEAD_VOID = 12;
  private static final int TITLE = 13;
  private static final int STYLE = 14;
  private static final int SCRIPT = 15;
  private static final int ROOT = 16;
  /** pre: a p closer whose text keeps its whitespace; a newline right after it is skipped. */
  private static final int PRE = 17;
  private static final int TABLE = 18;
  /** tbody, thead, tfoot. */
  private static final int SECTION = 19;
  private static final int TR = 20;
  /** td, th. */
  private static final int CELL = 21;

  private static final int MAX_TAGS = 128;
  private static final Map<String, Integer> IDS = new HashMap<>();
  private static final String[] NAMES = new String[MAX_TAGS];
  private static final int[] KIND = new int[MAX_TAGS];
  private static final boolean[] BLOCK = new boolean[MAX_TAGS];
  private static final boolean[] SPECIAL = new boolean[MAX_TAGS];
  private static final int P;
  private static final int LI_ID;
  private static final int BR;
  private static final int A_ID;
  private static final int BODY_ID;
  private static final int ADDRESS;
  private static final int DIV;
  private static final int PRE_ID;
  private static final int TBODY_ID;
  private static final int TR_ID;
  private static final int HTML_ID;
  private static final int UL_ID;
  private static final int OL_ID;
  /** Named references decoded here; any other {@code &} goes to Jsoup. Values from Jsoup. */
  private static final String[] FAST_ENTITIES = {"amp", "lt", "gt", "quot", "nbsp"};
  private static final char[] FAST_VALUES = new char[FAST_ENTITIES.length];

  private static int count;
  /** Tag ids by the hash of their names ({@link #slot}), open addressing; -1 = empty. */
  private static final int[] SLOTS = new int[256];

  static {
    java.util.Arrays.fill(SLOTS, -1);
    add(ROOT, "#root");
    add(HTML, "html");
    add(HEAD, "head");
    BODY_ID = add(BODY, "body");
    for (String name : new String[] {"address", "article", "aside", "blockquote", "center",
        "details", "dir", "div", "dl", "fieldset", "figcaption", "figure", "footer", "header",
        "hgroup", "menu", "nav", "ol", "p", "section", "summary", "ul"}) {
      add(P_CLOSER, name);
    }
    for (int i = 1; i <= 6; i++) {
      add(HEADING, "h" + i);
    }
    LI_ID = add(LI, "li");
    PRE_ID = add(PRE, "pre");
    add(TABLE, "table");
    TBODY_ID = add(SECTION, "tbody");
    add(SECTION, "thead");
    add(SECTION, "tfoot");
    TR_ID = add(TR, "tr");
    add(CELL, "td");
    add(CELL, "th");
    for (String name : new String[] {"b", "big", "code", "em", "font", "i", "s", "small",
        "strike", "strong", "tt", "u"}) {
      add(FORMAT, name);
    }
    A_ID = add(A, "a");
    for (String name : new String[] {"span", "abbr", "acronym", "bdi", "bdo", "cite", "data",
        "dfn", "kbd", "mark", "q", "samp", "sub", "sup", "time", "var", "ins", "del", "main",
        "label"}) {
      add(PLAIN, name);
    }
    add(VOID, "img");
    BR = add(VOID, "br");
    add(VOID, "wbr");
    add(HR, "hr");
    for (String name : new String[] {"meta", "link", "base"}) {
      add(HEAD_VOID, name);
    }
    add(TITLE, "title");
    add(STYLE, "style");
    add(SCRIPT, "script");
    P = IDS.get("p");
    HTML_ID = IDS.get("html");
    UL_ID = IDS.get("ul");
    OL_ID = IDS.get("ol");
    ADDRESS = IDS.get("address");
    DIV = IDS.get("div");
    // HtmlTreeBuilder.TagSearchSpecial, restricted to the tags above
    for (String name : new String[] {"address", "article", "aside", "base", "blockquote", "body",
        "br", "center", "details", "dir", "div", "dl", "fieldset", "figcaption", "figure",
        "footer", "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html",
        "img", "li", "link", "main", "menu", "meta", "nav", "ol", "p", "pre", "script", "section",
        "style", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul",
        "wbr"}) {
      SPECIAL[IDS.get(name)] = true;
    }
    for (int i = 0; i < FAST_ENTITIES.length; i++) {
      String value = Entities.getByName(FAST_ENTITIES[i]);
      if (value.length() != 1) {
        throw new IllegalStateException("entity " + FAST_ENTITIES[i] + " is not one char");
      }
      FAST_VALUES[i] = value.charAt(0);
    }
  }

  private static int add(int kind, String name) {
    int id = count++;
    NAMES[id] = name;
    KIND[id] = kind;
    BLOCK[id] = kind == ROOT || Tag.valueOf(name).isBlock();
    IDS.put(name, id);
    int slot = slot(name, 0, name.length());
    while (SLOTS[slot] >= 0) {
      slot = (slot + 1) & (SLOTS.length - 1);
    }
    SLOTS[slot] = id;
    return id;
  }

  /** A hash of t[from, to) that ignores the case of ASCII letters (digits keep bit 0x20). */
  private static int slot(String t, int from, int to) {
    int h = 0;
    for (int i = from; i < to; i++) {
      h = h * 31 + (t.charAt(i) | 0x20);
    }
    return (h ^ (h >>> 8) ^ (h >>> 16)) & (SLOTS.length - 1);
  }

  private HtmlText() {}

  /** Same string as Jsoup.parse(html).text(), or null when this class cannot promise that. */
  static String text(String html) {
    if (html.length() > MAX_LENGTH || html.indexOf('\0') >= 0) {
      return null;
    }
    return new Walker(html).run();
  }

  /** The tag of this lower-case name, or -1. */
  static int tagId(String name) {
    Integer id = IDS.get(name);
    return id == null ? -1 : id;
  }

  // Insertion modes of the tree builder (AfterBody and AfterAfterBody act alike here).
  private static final int INITIAL = 0;
  private static final int BEFORE_HTML = 1;
  private static final int BEFORE_HEAD = 2;
  private static final int IN_HEAD = 3;
  private static final int AFTER_HEAD = 4;
  private static final int IN_BODY = 5;
  private static final int AFTER_BODY = 6;
  private static final int IN_TABLE = 7;
  private static final int IN_TABLE_BODY = 8;
  private static final int IN_ROW = 9;
  private static final int IN_CELL = 10;
  /** What a table-mode method tells its caller: refuse, done, or process the token again. */
  private static final int REFUSE = 0;
  private static final int DONE = 1;
  private static final int AGAIN = 2;

  /** One pass over one document. Every method returns false when the input is refused. */
  private static final class Walker {
    private final String s;
    private final int n;
    /** Element.text()'s accumulator, before its trim. */
    private char[] out;
    private int len;
    private final int[] stack = new int[MAX_DEPTH + 1];
    /** Per open element: its last child so far is a block element (Element.text()'s tail rule). */
    private final boolean[] afterBlock = new boolean[MAX_DEPTH + 1];
    private int depth = 1;
    private int mode = INITIAL;
    private int pos;
    /** Where the tag being read ends (after its '>'), and whether it ended with "/>". */
    private int tagEnd;
    private boolean selfClosing;

    Walker(String s) {
      this.s = s;
      this.n = s.length();
      this.out = new char[n + 16];
      stack[0] = IDS.get("#root");
    }

    String run() {
      while (pos < n) {
        if (s.charAt(pos) == '<') {
          if (!markup()) {
            return null;
          }
        } else {
          int end = s.indexOf('<', pos);
          end = end < 0 ? n : end;
          if (!characters(pos, end)) {
            return null;
          }
          pos = end;
        }
      }
      int from = 0;
      int to = len;
      while (from < to && out[from] <= ' ') {
        from++;  // String.trim()
      }
      while (to > from && out[to - 1] <= ' ') {
        to--;
      }
      return new String(out, from, to - from);
    }

    // ---- tokeniser ----

    private boolean markup() {
      if (pos + 1 >= n) {
        return false;
      }
      char c = s.charAt(pos + 1);
      if (c == '!') {
        if (s.startsWith("<!--", pos)) {
          return comment();
        }
        if (mode == INITIAL && s.regionMatches(true, pos + 2, "DOCTYPE", 0, 7)) {
          int close = s.indexOf('>', pos);
          if (close < 0) {
            return false;
          }
          pos = close + 1;
          mode = BEFORE_HTML;
          return true;
        }
        return false;
      }
      boolean end = c == '/';
      int nameStart = end ? pos + 2 : pos + 1;
      int i = nameStart;
      while (i < n && isAlnum(s.charAt(i))) {
        i++;
      }
      if (i == nameStart || !isAsciiLetter(s.charAt(nameStart)) || i >= n) {
        return false;
      }
      char next = s.charAt(i);
      if (!isSpace(next) && next != '/' && next != '>') {
        return false;  // a name Jsoup reads on (o:p, a<b, ...)
      }
      int tag = lookup(nameStart, i);
      if (tag < 0) {
        return false;
      }
      if (end ? !endTagRest(i) : !startTagRest(i)) {
        return false;
      }
      pos = tagEnd;
      return end ? endTag(tag) : startTag(tag);
    }

    /** {@code <!--} at pos: a comment up to the first {@code -->}. */
    private boolean comment() {
      int from = pos + 4;
      if (s.startsWith(">", from) || s.startsWith("->", from)) {
        return false;  // abrupt closing of an empty comment
      }
      int close = s.indexOf("-->", from);
      if (close < 0) {
        return false;
      }
      for (int bang = indexOf('!', from, close); bang >= 0; bang = indexOf('!', bang + 1, close)) {
        if (bang >= from + 2 && s.startsWith("--!>", bang - 2)) {
          return false;  // "--!>" ends a comment too
        }
      }
      pos = close + 3;
      afterBlock[depth - 1] = false;  // a Comment node is the next sibling
      return true;
    }

    private boolean endTagRest(int i) {
      while (i < n && isSpace(s.charAt(i))) {
        i++;
      }
      if (i >= n || s.charAt(i) != '>') {
        return false;
      }
      tagEnd = i + 1;
      return true;
    }

    /** Attributes up to the tag's '>', as Jsoup's tokeniser reads them; odd ones refused. */
    private boolean startTagRest(int i) {
      selfClosing = false;
      while (true) {
        while (i < n && isSpace(s.charAt(i))) {
          i++;
        }
        if (i >= n) {
          return false;
        }
        char c = s.charAt(i);
        if (c == '>') {
          tagEnd = i + 1;
          return true;
        }
        if (c == '/') {
          if (i + 1 < n && s.charAt(i + 1) == '>') {
            selfClosing = true;
            tagEnd = i + 2;
            return true;
          }
          return false;
        }
        if (c == '"' || c == '\'' || c == '=' || c == '<') {
          return false;
        }
        while (i < n) {  // attribute name
          c = s.charAt(i);
          if (isSpace(c) || c == '/' || c == '=' || c == '>') {
            break;
          }
          if (c == '"' || c == '\'' || c == '<') {
            return false;
          }
          i++;
        }
        int j = i;
        while (j < n && isSpace(s.charAt(j))) {
          j++;
        }
        if (j >= n) {
          return false;
        }
        if (s.charAt(j) != '=') {
          i = j;
          continue;
        }
        j++;
        while (j < n && isSpace(s.charAt(j))) {
          j++;
        }
        if (j >= n) {
          return false;
        }
        c = s.charAt(j);
        if (c == '"' || c == '\'') {
          int close = s.indexOf(c, j + 1);
          if (close < 0 || close + 1 >= n) {
            return false;
          }
          char after = s.charAt(close + 1);
          if (!isSpace(after) && after != '/' && after != '>') {
            return false;
          }
          i = close + 1;
        } else if (c == '>') {
          return false;  // missing value
        } else {
          while (j < n) {  // unquoted value
            c = s.charAt(j);
            if (isSpace(c) || c == '>') {
              break;
            }
            if (c == '"' || c == '\'' || c == '<' || c == '=' || c == '`') {
              return false;
            }
            j++;
          }
          i = j;
        }
      }
    }

    /** The tag id of s[from, to) (ASCII letters and digits), any case, or -1. */
    private int lookup(int from, int to) {
      int len = to - from;
      int slot = slot(s, from, to);
      for (int id = SLOTS[slot]; id >= 0; id = SLOTS[slot = (slot + 1) & (SLOTS.length - 1)]) {
        if (NAMES[id].length() == len && s.regionMatches(true, from, NAMES[id], 0, len)) {
          return id;
        }
      }
      return -1;
    }

    // ---- tree builder ----

    private int current() {
      return stack[depth - 1];
    }

    /**
     * Whether tag is in scope (HtmlTreeBuilder.inScope; button scope is the same here): open,
     * with no html, table, td or th above it; list item scope also stops at ul and ol.
     */
    private boolean inScope(int tag, boolean listItem) {
      for (int i = depth - 1; i > 0; i--) {
        int el = stack[i];
        if (el == tag) {
          return true;
        }
        int kind = KIND[el];
        if (el == HTML_ID || kind == TABLE || kind == CELL
            || listItem && (el == UL_ID || el == OL_ID)) {
          return false;
        }
      }
      return false;
    }

    /** HtmlTreeBuilder.resetInsertionMode, for the elements handled here. */
    private void resetMode() {
      for (int i = depth - 1; i > 0; i--) {
        switch (KIND[stack[i]]) {
          case CELL -> mode = IN_CELL;
          case TR -> mode = IN_ROW;
          case SECTION -> mode = IN_TABLE_BODY;
          case TABLE -> mode = IN_TABLE;
          case BODY -> mode = IN_BODY;
          default -> {
            continue;
          }
        }
        return;
      }
      mode = IN_BODY;
    }

    /** Closes the open cell (its end tag), if what is open above it closes cleanly. */
    private boolean closeCell() {
      impliedEndTags(-1);
      if (KIND[current()] != CELL) {
        return false;
      }
      pop();
      mode = IN_ROW;
      return true;
    }

    private int tableStartTag(int tag, int kind) {
      switch (mode) {
        case IN_TABLE -> {
          if (kind == SECTION) {
            return push(tag) ? set(IN_TABLE_BODY, DONE) : REFUSE;
          }
          if (kind == TR || kind == CELL) {
            return push(TBODY_ID) ? set(IN_TABLE_BODY, AGAIN) : REFUSE;
          }
          return REFUSE;  // caption, col, a nested table, or content Jsoup moves out of the table
        }
        case IN_TABLE_BODY -> {
          if (kind == TR) {
            return push(tag) ? set(IN_ROW, DONE) : REFUSE;
          }
          if (kind == CELL) {
            return push(TR_ID) ? set(IN_ROW, AGAIN) : REFUSE;
          }
          return REFUSE;
        }
        case IN_ROW -> {
          if (kind == CELL) {
            return push(tag) ? set(IN_CELL, DONE) : REFUSE;
          }
          if (kind == TR) {
            pop();
            return set(IN_TABLE_BODY, AGAIN);
          }
          return REFUSE;
        }
        default -> {  // in a cell
          if (kind == CELL || kind == TR) {
            return closeCell() ? AGAIN : REFUSE;
          }
          if (kind == SECTION) {
            return REFUSE;
          }
          return bodyStartTag(tag, kind) ? DONE : REFUSE;
        }
      }
    }

    private int tableEndTag(int tag, int kind) {
      switch (mode) {
        case IN_TABLE -> {
          if (kind == TABLE && current() == tag) {
            pop();
            resetMode();
            return DONE;
          }
          return REFUSE;
        }
        case IN_TABLE_BODY -> {
          if (kind == SECTION && current() == tag) {
            pop();
            return set(IN_TABLE, DONE);
          }
          if (kind == TABLE) {
            pop();
            return set(IN_TABLE, AGAIN);
          }
          return REFUSE;
        }
        case IN_ROW -> {
          if (kind == TR) {
            pop();
            return set(IN_TABLE_BODY, DONE);
          }
          if (kind == TABLE || kind == SECTION && stack[depth - 2] == tag) {
            pop();
            return set(IN_TABLE_BODY, AGAIN);
          }
          return REFUSE;
        }
        default -> {  // in a cell
          if (kind == CELL) {
            impliedEndTags(-1);
            if (current() != tag) {
              return REFUSE;
            }
            pop();
            return set(IN_ROW, DONE);
          }
          if (kind == TABLE || kind == SECTION || kind == TR) {
            return closeCell() ? AGAIN : REFUSE;
          }
          if (kind == BODY || kind == HTML) {
            return REFUSE;
          }
          return bodyEndTag(tag, kind) ? DONE : REFUSE;
        }
      }
    }

    private int set(int newMode, int result) {
      mode = newMode;
      return result;
    }

    private boolean onStack(int tag) {
      for (int i = depth - 1; i > 0; i--) {
        if (stack[i] == tag) {
          return true;
        }
      }
      return false;
    }

    /** Inserts an element: Element.text()'s head rule, and the tail rule of the sibling before. */
    private boolean push(int tag) {
      if (depth > MAX_DEPTH) {
        return false;
      }
      int parent = depth - 1;
      if (afterBlock[parent] && !BLOCK[tag] && !lastIsSpace()) {
        append(' ');
      }
      afterBlock[parent] = false;
      if (len > 0 && BLOCK[tag] && !lastIsSpace()) {
        append(' ');  // br is a block tag in Jsoup's tag set
      }
      stack[depth] = tag;
      afterBlock[depth] = false;
      depth++;
      return true;
    }

    private void pop() {
      depth--;
      afterBlock[depth - 1] = BLOCK[stack[depth]];
    }

    /** HtmlTreeBuilder.generateImpliedEndTags(exclude), for the tags handled here (p, li). */
    private void impliedEndTags(int exclude) {
      while ((current() == P || current() == LI_ID) && current() != exclude) {
        pop();
      }
    }

    /** The tree builder's "close a p element" when a p is in button scope; false if not clean. */
    private boolean closeP() {
      if (!inScope(P, false)) {
        return true;
      }
      impliedEndTags(P);
      if (current() != P) {
        return false;
      }
      pop();
      return true;
    }

    private boolean characters(int from, int to) {
      if (mode == IN_BODY || mode == IN_CELL) {
        return appendText(null, from, to);  // whether it is blank does not matter here
      }
      String decoded = null;
      boolean blank;
      int amp = indexOf('&', from, to);
      if (amp >= 0 && !fastEntitiesOnly(amp, to)) {
        decoded = slowDecode(from, to);
        if (decoded == null) {
          return false;
        }
        blank = isBlank(decoded, 0, decoded.length());
      } else {
        blank = amp < 0 && isBlank(s, from, to);
      }
      while (true) {
        switch (mode) {
          case INITIAL -> {
            if (blank) {
              return true;
            }
            mode = BEFORE_HTML;
          }
          case BEFORE_HTML -> {
            if (blank) {
              return appendText(decoded, from, to);
            }
            push(IDS.get("html"));
            mode = BEFORE_HEAD;
          }
          case BEFORE_HEAD -> {
            if (blank) {
              return appendText(decoded, from, to);
            }
            push(IDS.get("head"));
            mode = IN_HEAD;
          }
          case IN_HEAD -> {
            if (blank) {
              return appendText(decoded, from, to);
            }
            pop();
            mode = AFTER_HEAD;
          }
          case AFTER_HEAD -> {
            if (blank) {
              return appendText(decoded, from, to);
            }
            push(BODY_ID);
            mode = IN_BODY;
          }
          case AFTER_BODY -> {
            if (blank) {
              return true;  // goes after the body: only a trailing space, which is trimmed
            }
            mode = IN_BODY;
          }
          case IN_TABLE, IN_TABLE_BODY, IN_ROW -> {
            return blank && appendText(decoded, from, to);  // else moved before the table
          }
          default -> {
            return appendText(decoded, from, to);
          }
        }
      }
    }

    private boolean startTag(int tag) {
      int kind = KIND[tag];
      if (selfClosing && kind != VOID && kind != HR && kind != HEAD_VOID) {
        return false;
      }
      while (true) {
        switch (mode) {
          case INITIAL -> mode = BEFORE_HTML;
          case BEFORE_HTML -> {
            push(IDS.get("html"));
            mode = BEFORE_HEAD;
            if (kind == HTML) {
              return true;
            }
          }
          case BEFORE_HEAD -> {
            if (kind == HTML) {
              return false;
            }
            push(IDS.get("head"));
            mode = IN_HEAD;
            if (kind == HEAD) {
              return true;
            }
          }
          case IN_HEAD -> {
            if (kind == HTML || kind == HEAD) {
              return false;
            }
            if (kind == HEAD_VOID || kind == TITLE || kind == STYLE || kind == SCRIPT) {
              return headElement(tag, kind);
            }
            pop();
            mode = AFTER_HEAD;
          }
          case AFTER_HEAD -> {
            if (kind == HTML || kind == HEAD || kind == HEAD_VOID || kind == TITLE
                || kind == STYLE || kind == SCRIPT) {
              return false;  // would be moved into the head
            }
            push(BODY_ID);
            mode = IN_BODY;
            if (kind == BODY) {
              return true;
            }
          }
          case AFTER_BODY -> mode = IN_BODY;
          case IN_TABLE, IN_TABLE_BODY, IN_ROW, IN_CELL -> {
            int r = tableStartTag(tag, kind);
            if (r != AGAIN) {
              return r == DONE;
            }
          }
          default -> {
            return bodyStartTag(tag, kind);
          }
        }
      }
    }

    private boolean bodyStartTag(int tag, int kind) {
      switch (kind) {
        case TABLE -> {
          // an open p is closed first, or (in quirks mode, no DOCTYPE) not: refused either way
          if (inScope(P, false) || !push(tag)) {
            return false;
          }
          mode = IN_TABLE;
          return true;
        }
        case P_CLOSER -> {
          return closeP() && push(tag);
        }
        case PRE -> {
          if (pos < n && s.charAt(pos) == '\n') {
            pos++;  // the tree builder drops a LF right after <pre> (not a CR LF)
          }
          return closeP() && push(tag);
        }
        case HEADING -> {
          return closeP() && KIND[current()] != HEADING && push(tag);
        }
        case LI -> {
          for (int i = depth - 1; i > 1; i--) {
            int el = stack[i];
            if (el == LI_ID) {
              impliedEndTags(LI_ID);
              if (current() != LI_ID) {
                return false;
              }
              pop();
              break;
            }
            if (SPECIAL[el] && el != ADDRESS && el != DIV && el != P) {
              break;
            }
          }
          return closeP() && push(tag);
        }
        case FORMAT, PLAIN -> {
          return push(tag);
        }
        case A -> {
          return !onStack(A_ID) && push(tag);
        }
        case VOID, HEAD_VOID -> {
          if (!push(tag)) {
            return false;
          }
          pop();
          return true;
        }
        case HR -> {
          if (!closeP() || !push(tag)) {
            return false;
          }
          pop();
          return true;
        }
        case TITLE, STYLE, SCRIPT -> {
          return headElement(tag, kind);
        }
        default -> {
          return false;  // html, head, body again
        }
      }
    }

    /** meta/link/base, or a title, style or script with its content up to its end tag. */
    private boolean headElement(int tag, int kind) {
      if (kind == HEAD_VOID) {
        if (!push(tag)) {
          return false;
        }
        pop();
        return true;
      }
      String name = NAMES[tag];
      int close = indexOfIgnoreCase("</" + name, pos);
      int closeEnd = close + 2 + name.length();
      if (close < 0 || closeEnd >= n || s.charAt(closeEnd) != '>') {
        return false;
      }
      if (!push(tag)) {
        return false;
      }
      if (kind == TITLE && close > pos) {
        String title = decode(pos, close);  // title keeps its whitespace, CR included
        room(title.length());
        title.getChars(0, title.length(), out, len);
        len += title.length();
      } else if (kind == SCRIPT && contains("<!--", pos, close)) {
        return false;  // script data escape states
      }
      pos = closeEnd + 1;
      pop();
      return true;
    }

    private boolean endTag(int tag) {
      int kind = KIND[tag];
      if (tag == BR) {
        return false;
      }
      while (true) {
        switch (mode) {
          case INITIAL -> mode = BEFORE_HTML;
          case BEFORE_HTML -> {
            if (kind != BODY && kind != HEAD && kind != HTML) {
              return false;
            }
            push(IDS.get("html"));
            mode = BEFORE_HEAD;
          }
          case BEFORE_HEAD -> {
            if (kind != BODY && kind != HEAD && kind != HTML) {
              return false;
            }
            push(IDS.get("head"));
            mode = IN_HEAD;
          }
          case IN_HEAD -> {
            if (kind != BODY && kind != HEAD && kind != HTML) {
              return false;
            }
            pop();
            mode = AFTER_HEAD;
            if (kind == HEAD) {
              return true;
            }
          }
          case AFTER_HEAD -> {
            if (kind != BODY && kind != HTML) {
              return false;
            }
            push(BODY_ID);
            mode = IN_BODY;
          }
          case AFTER_BODY -> {
            if (kind == HTML) {
              return true;
            }
            mode = IN_BODY;
          }
          case IN_TABLE, IN_TABLE_BODY, IN_ROW, IN_CELL -> {
            int r = tableEndTag(tag, kind);
            if (r != AGAIN) {
              return r == DONE;
            }
          }
          default -> {
            return bodyEndTag(tag, kind);
          }
        }
      }
    }

    private boolean bodyEndTag(int tag, int kind) {
      switch (kind) {
        case BODY, HTML -> {
          if (!inScope(BODY_ID, false)) {
            return false;  // (a table is open)
          }
          mode = AFTER_BODY;
          return true;
        }
        case P_CLOSER, PRE, LI, HEADING -> {
          if (!inScope(tag, tag == LI_ID)) {
            return false;  // Jsoup ignores it (or, for </p>, inserts an empty p)
          }
          impliedEndTags(tag == P || tag == LI_ID || kind == HEADING ? tag : -1);
          if (current() != tag) {
            return false;
          }
          pop();
          return true;
        }
        case FORMAT, A, PLAIN -> {
          if (current() != tag) {
            return false;
          }
          pop();
          return true;
        }
        default -> {
          return false;
        }
      }
    }

    // ---- text ----

    private boolean lastIsSpace() {
      return len > 0 && out[len - 1] == ' ';
    }

    private void append(char c) {
      room(1);
      out[len++] = c;
    }

    private void room(int more) {
      if (len + more > out.length) {
        out = java.util.Arrays.copyOf(out, Math.max(len + more, out.length * 2));
      }
    }

    /** Appends text inserted into the current element, normalised as Element.text() does. */
    private boolean appendText(String decoded, int from, int to) {
      if (afterBlock[depth - 1] && !lastIsSpace()) {
        append(' ');
      }
      afterBlock[depth - 1] = false;
      if (preserveWhitespace()) {
        String t = decoded;
        if (t == null) {
          int amp = indexOf('&', from, to);
          t = amp >= 0 && !fastEntitiesOnly(amp, to) ? slowDecode(from, to) : decode(from, to);
          if (t == null) {
            return false;
          }
        }
        room(t.length());
        t.getChars(0, t.length(), out, len);  // as it is: no collapsing, NBSP and ZWSP kept
        len += t.length();
        return true;
      }
      if (decoded == null) {
        int mark = len;
        if (normalise(s, from, to)) {
          return true;
        }
        len = mark;  // a reference other than the fast ones: decoded by Jsoup
        decoded = slowDecode(from, to);
        if (decoded == null) {
          return false;
        }
      }
      normalise(decoded, 0, decoded.length());
      return true;
    }

    /** Element.preserveWhitespace: a pre among the text's parent and its five ancestors. */
    private boolean preserveWhitespace() {
      for (int i = depth - 1; i > 0 && i >= depth - 6; i--) {
        if (stack[i] == PRE_ID) {
          return true;
        }
      }
      return false;
    }

    /** s[from, to) decoded by Jsoup, or null if it holds U+0000. */
    private String slowDecode(int from, int to) {
      String decoded = Parser.unescapeEntities(s.substring(from, to), false);
      // &#0;: Jsoup drops a character token that is just U+0000 and keeps it elsewhere
      return decoded.indexOf('\0') >= 0 ? null : decoded;
    }

    /** StringUtil.appendNormalisedWhitespace, with the fast named references decoded. */
    private boolean normalise(String t, int from, int to) {
      room(to - from);  // the text never grows: copied in bulk, then normalised in place
      char[] o = out;
      int start = len;
      int end = start + to - from;
      t.getChars(from, to, o, start);
      boolean raw = t == s;
      int l = start;
      for (int r = start; r < end; r++) {
        char c = o[r];
        if (c > ' ' && c < 0x80 && c != '&') {
          o[l++] = c;
        } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\u00a0') {
          if (l == 0 || o[l - 1] != ' ') {
            o[l++] = ' ';
          }
        } else if (c == '&' && raw) {
          int e = fastEntity(from + r - start);
          if (e < 0) {
            return false;
          }
          r += FAST_ENTITIES[e].length() + 1;
          c = FAST_VALUES[e];
          if (c != '\u00a0') {
            o[l++] = c;
          } else if (l == 0 || o[l - 1] != ' ') {
            o[l++] = ' ';
          }
        } else if (c != '\u200b' && c != '\u00ad') {
          o[l++] = c;
        }
      }
      len = l;
      return true;
    }

    /** Decoded text of s[from, to). */
    private String decode(int from, int to) {
      int amp = indexOf('&', from, to);
      if (amp < 0) {
        return s.substring(from, to);
      }
      if (!fastEntitiesOnly(amp, to)) {
        return Parser.unescapeEntities(s.substring(from, to), false);  // title: U+0000 kept
      }
      StringBuilder b = new StringBuilder(to - from);
      for (int i = from; i < to; i++) {
        char c = s.charAt(i);
        if (c == '&') {
          int e = fastEntity(i);
          c = FAST_VALUES[e];
          i += FAST_ENTITIES[e].length() + 1;
        }
        b.append(c);
      }
      return b.toString();
    }

    /** Whether every '&' in s[amp, to) starts one of {@link #FAST_ENTITIES} with its ';'. */
    private boolean fastEntitiesOnly(int amp, int to) {
      while (amp >= 0 && amp < to) {
        int e = fastEntity(amp);
        if (e < 0 || amp + FAST_ENTITIES[e].length() + 2 > to) {
          return false;
        }
        amp = indexOf('&', amp + 1, to);
      }
      return true;
    }

    /** Whether s[from, to) contains needle. */
    private boolean contains(String needle, int from, int to) {
      for (int i = indexOf(needle.charAt(0), from, to); i >= 0;
          i = indexOf(needle.charAt(0), i + 1, to)) {
        if (i + needle.length() <= to && s.startsWith(needle, i)) {
          return true;
        }
      }
      return false;
    }

    /** The first index of c in s[from, to), or -1. */
    private int indexOf(char c, int from, int to) {
      for (int i = from; i < to; i++) {
        if (s.charAt(i) == c) {
          return i;
        }
      }
      return -1;
    }

    /** The index of the fast named reference "&name;" at i, or -1. */
    private int fastEntity(int i) {
      for (int e = 0; e < FAST_ENTITIES.length; e++) {
        String name = FAST_ENTITIES[e];
        int semi = i + 1 + name.length();
        if (semi < n && s.charAt(semi) == ';' && s.startsWith(name, i + 1)) {
          return e;
        }
      }
      return -1;
    }

    private int indexOfIgnoreCase(String needle, int from) {
      int last = n - needle.length();
      char first = needle.charAt(0);
      for (int i = s.indexOf(first, from); i >= 0 && i <= last; i = s.indexOf(first, i + 1)) {
        if (s.regionMatches(true, i, needle, 0, needle.length())) {
          return i;
        }
      }
      return -1;
    }
  }

  private static boolean isBlank(String t, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!isSpace(t.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Jsoup's StringUtil.isWhitespace: the HTML space characters (no NBSP). */
  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isAlnum(char c) {
    return isAsciiLetter(c) || (c >= '0' && c <= '9');
  }
}
