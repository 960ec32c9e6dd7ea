package io.mailops.archiver.index;

import io.mailops.archiver.mime.MimeSplitter;
import jakarta.mail.MessagingException;
import jakarta.mail.Part;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.LineInputStream;
import jakarta.mail.util.StreamProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.ParsePosition;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;

/**
 * Turns the raw bytes of one archived message into the {@link MessageDocument} the search index
 * takes. Lenient by design: a malformed header, an unknown charset or a broken MIME structure
 * never makes it throw; it indexes whatever it could read. Stateless and thread-safe.
 *
 * <p>The MIME structure is walked over the raw bytes here (multipart boundaries, nested
 * {@code message/rfc822}) the way Jakarta Mail's {@code MimeMessage} / {@code MimeMultipart}
 * parse it (preamble, boundary lines with trailing blanks, a missing end boundary, a missing
 * boundary parameter), without building its object tree: each part's header block is read by
 * Jakarta Mail's {@link InternetHeaders} into a {@link MimeBodyPart} without content, whose
 * content type, disposition, file name and transfer encoding are Jakarta Mail's own. Only text
 * parts are decoded; attachment bodies are never copied (ADR 0023).
 */
public final class MessageParser {

  /** At most this many characters of body text are indexed per message. */
  public static final int MAX_BODY_CHARS = 1024 * 1024;

  private static final int MAX_DEPTH = 20;
  private static final Pattern LOOSE_ADDRESS =
      Pattern.compile("[^\\s<>,;:\"()\\[\\]]+@[^\\s<>,;:\"()\\[\\]]+");
  private static final Pattern LOCAL_ONLY = Pattern.compile("[\\w.+-]+");
  private static final boolean[] BASE64 = new boolean[256];
  private static final byte[] EMPTY = new byte[0];
  /** Found once: Jakarta Mail's own calls look it up with a ServiceLoader every time. */
  private static final StreamProvider STREAMS = StreamProvider.provider();
  /** One per thread: making one (a SimpleDateFormat) cost more than parsing a date with it. */
  private static final ThreadLocal<MailDateFormat> DATES =
      ThreadLocal.withInitial(MailDateFormat::new);

  static {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (char c : alphabet.toCharArray()) {
      BASE64[c] = true;
    }
  }

  private MessageParser() {}

  /**
   * Parses one message.
   *
   * @param id the archive's id of the message
   * @param raw the original message bytes (RFC 5322, CRLF or LF line ends)
   * @param source where it was ingested from
   * @param archivedAt when it was ingested; the date when the Date header is missing or unreadable
   * @return the document, never null
   */
  public static MessageDocument parse(String id, byte[] raw, String source, Instant archivedAt) {
    Headers headers = Headers.read(raw);
    Body body = new Body();
    try {
      walk(raw, 0, raw.length, true, body, 0);
    } catch (Broken | RuntimeException e) {
      // a broken MIME structure: keep the headers and whatever text was read before the break
    }
    List<String> envelope = new ArrayList<>();
    envelope.addAll(addresses(headers.all("X-Original-To")));
    envelope.addAll(addresses(headers.all("Delivered-To")));
    envelope.addAll(addresses(headers.all("X-Envelope-To")));
    return new MessageDocument(id, messageId(headers.first("Message-ID")),
        date(headers.first("Date"), archivedAt), addresses(headers.all("From")),
        addresses(headers.all("To")), addresses(headers.all("Cc")),
        addresses(headers.all("Bcc")), List.copyOf(new LinkedHashSet<>(envelope)),
        decodeText(headers.first("Subject")).strip(), raw.length, body.text.toString(),
        body.attachments, source, archivedAt);
  }

  /**
   * Parses one message whose attachments are known. The walk over the MIME structure finds them
   * itself at no extra cost, so this is {@link #parse(String, byte[], String, Instant)}; the form
   * is kept for {@link io.mailops.archiver.DocumentParser#of}.
   *
   * @param attachments what {@link MimeSplitter#attachments} gives for {@code raw} (not used)
   */
  public static MessageDocument parse(String id, byte[] raw,
      List<MimeSplitter.Attachment> attachments, String source, Instant archivedAt) {
    return parse(id, raw, source, archivedAt);
  }

  /**
   * Where Jakarta Mail would have thrown out of the walk (a multipart without a start boundary,
   * an unreadable header block): the walk stops, what was read so far is kept.
   */
  private static final class Broken extends Exception {
    private static final long serialVersionUID = 1L;

    Broken() {
      super(null, null, false, false);
    }
  }

  /**
   * Walks the part (or message, {@code message} true) in {@code raw[start, end)}: its header
   * block, then its body up to {@code end}.
   */
  private static void walk(byte[] raw, int start, int end, boolean message, Body body, int depth)
      throws Broken {
    if (depth > MAX_DEPTH) {
      return;
    }
    int bodyStart = headerEnd(raw, start, end);
    walk(raw, start, bodyStart < 0 ? end : bodyStart, end, message, body, depth);
  }

  private static void walk(byte[] raw, int start, int bodyStart, int end, boolean message,
      Body body, int depth) throws Broken {
    if (depth > MAX_DEPTH) {
      return;
    }
    InternetHeaders headers;
    MimeBodyPart part;
    try {
      // a message's own header block may hold raw UTF-8 (the session allows it, as before); the
      // header blocks of body parts are read byte for byte as ISO-8859-1, as MimeMultipart does
      headers = headers(raw, start, bodyStart, message);
      part = new MimeBodyPart(headers, EMPTY);
    } catch (MessagingException | IOException e) {
      throw new Broken();
    }
    ContentType type = contentType(part);
    String baseType = type == null ? "text/plain" : type.getBaseType().toLowerCase(Locale.ROOT);
    String name = fileName(part);
    boolean attached = Part.ATTACHMENT.equalsIgnoreCase(disposition(part));
    if (baseType.startsWith("multipart/")) {
      parts(raw, bodyStart, end, type, body, depth);
    } else if (baseType.equals("message/rfc822")) {
      body.attachments.add(new MessageDocument.Attachment(name, baseType,
          countBytes(part, headers, raw, bodyStart, end)));
      walk(raw, bodyStart, end, true, body, depth + 1);
    } else if (!attached && name.isEmpty() && baseType.equals("text/plain")) {
      if (!body.full()) {
        body.append(text(part, type, raw, bodyStart, end));
      }
    } else if (!attached && name.isEmpty() && baseType.equals("text/html")) {
      if (!body.full()) {
        body.append(Jsoup.parse(text(part, type, raw, bodyStart, end)).text());
      }
    } else {
      body.attachments.add(new MessageDocument.Attachment(name, baseType,
          countBytes(part, headers, raw, bodyStart, end)));
    }
  }

  /**
   * The header block {@code raw[from, to)} read as {@link InternetHeaders#load} reads it (lines
   * end at LF, CRLF or a lone CR; folded lines joined with CRLF), but through one {@link
   * StreamProvider} found once: {@code load} looks the provider up with a {@code ServiceLoader}
   * for every header block.
   */
  private static InternetHeaders headers(byte[] raw, int from, int to, boolean utf8)
      throws IOException {
    InternetHeaders headers = new InternetHeaders();
    LineInputStream lines = STREAMS.inputLineStream(new Bytes(raw, from, to), utf8);
    String previous = null;
    StringBuilder folded = new StringBuilder();
    boolean first = true;
    String line;
    do {
      line = lines.readLine();
      if (line != null && (line.startsWith(" ") || line.startsWith("\t"))) {
        if (previous != null) {
          folded.append(previous);
          previous = null;
        }
        if (first) {
          String trimmed = line.trim();
          if (!trimmed.isEmpty()) {
            folded.append(trimmed);
          }
        } else {
          if (folded.length() > 0) {
            folded.append("\r\n");
          }
          folded.append(line);
        }
      } else {
        if (previous != null) {
          headers.addHeaderLine(previous);
        } else if (folded.length() > 0) {
          headers.addHeaderLine(folded.toString());
          folded.setLength(0);
        }
        previous = line;
      }
      first = false;
    } while (line != null && !line.isEmpty());
    return headers;
  }

  /**
   * Where the body of the part at {@code start} begins: after its first empty line, or -1 when
   * there is none before {@code end} (all header, no body). Lines end as {@link LineInputStream}
   * ends them: at LF, CRLF or a lone CR.
   */
  private static int headerEnd(byte[] raw, int start, int end) {
    int pos = start;
    while (pos < end) {
      int lineEnd = lineEnd(raw, pos, end);
      if (lineEnd >= end) {
        return -1;
      }
      if (lineEnd == pos) {
        return nextLine(raw, lineEnd, end);
      }
      pos = nextLine(raw, lineEnd, end);
    }
    return -1;
  }

  /** Index of the line end (LF or CR) of the line at {@code pos}, or {@code end}. */
  private static int lineEnd(byte[] raw, int pos, int end) {
    while (pos < end && raw[pos] != '\n' && raw[pos] != '\r') {
      pos++;
    }
    return pos;
  }

  /** Where the next line starts after the line end at {@code lineEnd} (CRLF is one). */
  private static int nextLine(byte[] raw, int lineEnd, int end) {
    if (lineEnd >= end) {
      return end;
    }
    return raw[lineEnd] == '\r' && lineEnd + 1 < end && raw[lineEnd + 1] == '\n'
        ? lineEnd + 2 : lineEnd + 1;
  }

  /**
   * The parts of the multipart body {@code raw[from, end)}, walked in order, as {@code
   * MimeMultipart.parse} splits it: lines before the first boundary line are the preamble
   * (trailing blanks ignored; without a boundary parameter the first line starting with
   * {@code --} that is not all dashes is the boundary); a part's headers end at the first empty
   * line, its body at the next boundary at the start of a line (the line end before it is not
   * part of the body) followed by blanks and a line end, or by {@code --} (the last part); a
   * missing end boundary ends the last part at the end of the body, and a part cut off inside its
   * headers is dropped. No start boundary: {@link Broken}.
   */
  private static void parts(byte[] raw, int from, int end, ContentType type, Body body, int depth)
      throws Broken {
    String parameter = type.getParameter("boundary");
    byte[] boundary = parameter == null ? null : bytes("--" + parameter);
    int partStart = -1;
    int pos = from;
    while (pos < end) {
      int lineEnd = lineEnd(raw, pos, end);
      int last = lineEnd;
      while (last > pos && (raw[last - 1] == ' ' || raw[last - 1] == '\t')) {
        last--;
      }
      int length = last - pos;
      if (boundary != null) {
        if (length == boundary.length && regionMatches(raw, pos, boundary)) {
          partStart = nextLine(raw, lineEnd, end);
          break;
        }
        if (length == boundary.length + 2 && regionMatches(raw, pos, boundary)
            && raw[last - 2] == '-' && raw[last - 1] == '-') {
          throw new Broken();   // the close delimiter before any part: no start boundary
        }
      } else if (length > 2 && raw[pos] == '-' && raw[pos + 1] == '-'
          && !(length > 4 && allDashes(raw, pos, last))) {
        boundary = Arrays.copyOfRange(raw, pos, last);
        partStart = nextLine(raw, lineEnd, end);
        break;
      }
      pos = nextLine(raw, lineEnd, end);
    }
    if (partStart < 0) {
      throw new Broken();
    }
    while (true) {
      int bodyStart = headerEnd(raw, partStart, end);
      if (bodyStart < 0) {
        return;   // the input ended inside the part's headers: Jakarta Mail drops the part
      }
      int at = bodyStart;
      boolean first = true;
      while (true) {
        int b = boundaryAt(raw, at, end, boundary, first, bodyStart);
        if (b == NOT_A_BOUNDARY) {
          if (at >= end) {
            walk(raw, partStart, bodyStart, end, false, body, depth + 1);
            return;   // no end boundary: the last part runs to the end
          }
          int next = nextLineStart(raw, at, end);
          first = false;
          at = next;
          continue;
        }
        int eol = 0;
        if (!first && at - 1 >= bodyStart && (raw[at - 1] == '\n' || raw[at - 1] == '\r')) {
          eol = raw[at - 1] == '\n' && at - 2 >= bodyStart && raw[at - 2] == '\r' ? 2 : 1;
        }
        walk(raw, partStart, bodyStart, Math.max(bodyStart, at - eol), false, body, depth + 1);
        if (b == CLOSE) {
          return;
        }
        partStart = b;
        break;
      }
    }
  }

  private static final int NOT_A_BOUNDARY = -1;
  private static final int CLOSE = -2;

  /**
   * Whether a boundary line starts at {@code at} (the start of a body, or just after a line
   * end): {@link #CLOSE} for the close delimiter, the position after its line end for another
   * delimiter, else {@link #NOT_A_BOUNDARY}.
   */
  private static int boundaryAt(byte[] raw, int at, int end, byte[] boundary, boolean first,
      int bodyStart) {
    if (at >= end || end - at < boundary.length || !regionMatches(raw, at, boundary)) {
      return NOT_A_BOUNDARY;
    }
    if (!first && !(at > bodyStart && (raw[at - 1] == '\n' || raw[at - 1] == '\r'))) {
      return NOT_A_BOUNDARY;
    }
    int p = at + boundary.length;
    if (p + 1 < end && raw[p] == '-' && raw[p + 1] == '-') {
      return CLOSE;
    }
    while (p < end && (raw[p] == ' ' || raw[p] == '\t')) {
      p++;
    }
    if (p < end && raw[p] == '\n') {
      return p + 1;
    }
    if (p < end && raw[p] == '\r') {
      return p + 1 < end && raw[p + 1] == '\n' ? p + 2 : p + 1;
    }
    return NOT_A_BOUNDARY;
  }

  /**
   * The next position where a boundary could start after {@code at}: just after the next line
   * end ({@code \n}, or a {@code \r} not followed by {@code \n}), or {@code end}.
   */
  private static int nextLineStart(byte[] raw, int at, int end) {
    for (int i = at; i < end; i++) {
      byte c = raw[i];
      if (c == '\n') {
        return i + 1;
      }
      if (c == '\r' && (i + 1 >= end || raw[i + 1] != '\n')) {
        return i + 1;
      }
    }
    return end;
  }

  private static boolean regionMatches(byte[] raw, int at, byte[] b) {
    return Arrays.equals(raw, at, at + b.length, b, 0, b.length);
  }

  private static boolean allDashes(byte[] raw, int from, int to) {
    for (int i = from; i < to; i++) {
      if (raw[i] != '-') {
        return false;
      }
    }
    return true;
  }

  /** Each char as one byte (its low 8 bits), as Jakarta Mail compares boundaries. */
  private static byte[] bytes(String s) {
    byte[] b = new byte[s.length()];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) s.charAt(i);
    }
    return b;
  }

  private static ContentType contentType(Part part) {
    try {
      String value = part.getContentType();
      return value == null ? null : new ContentType(value);
    } catch (MessagingException e) {
      return null;
    }
  }

  private static String disposition(Part part) {
    try {
      return part.getDisposition();
    } catch (MessagingException e) {
      return null;
    }
  }

  private static String fileName(Part part) {
    try {
      String name = part.getFileName();
      return name == null ? "" : decodeText(name).strip();
    } catch (MessagingException e) {
      return "";
    }
  }

  /**
   * The decoded size of a part's body {@code raw[from, to)}. A base64 body is not decoded: its
   * size follows from the number of base64 characters (the decoder skips everything else); 7bit,
   * 8bit and binary bodies are their raw length; other encodings are decoded as Jakarta Mail's
   * {@link Part#getInputStream} decodes them (which leaves multipart and message bodies as they
   * are).
   */
  private static long countBytes(MimeBodyPart part, InternetHeaders headers, byte[] raw,
      int from, int to) {
    try {
      String encoding = part.getEncoding();
      String e = encoding == null ? "7bit" : encoding.strip().toLowerCase(Locale.ROOT);
      if (e.equals("base64")) {
        return base64Size(base64Chars(raw, from, to));
      }
      if (e.equals("7bit") || e.equals("8bit") || e.equals("binary")) {
        return to - from;
      }
      MimeBodyPart whole = new MimeBodyPart(headers, Arrays.copyOfRange(raw, from, to));
      try (InputStream in = whole.getInputStream()) {
        return in.transferTo(OutputStream.nullOutputStream());
      }
    } catch (MessagingException | IOException | RuntimeException e) {
      return 0;
    }
  }

  /** Bytes a base64 decoder gives for this encoded text: 3 per 4 base64 characters. */
  static long base64Size(InputStream in) throws IOException {
    byte[] buf = new byte[8192];
    long chars = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      chars += base64Chars(buf, 0, n);
    }
    return base64Size(chars);
  }

  private static long base64Size(long chars) {
    return chars / 4 * 3 + Math.max(0, chars % 4 - 1);
  }

  private static int base64Chars(byte[] b, int from, int to) {
    int chars = 0;
    for (int i = from; i < to; i++) {
      if (BASE64[b[i] & 0xff]) {
        chars++;
      }
    }
    return chars;
  }

  /** The text of a text part whose body is {@code raw[from, to)}, decoded and in its charset. */
  private static String text(MimeBodyPart part, ContentType type, byte[] raw, int from, int to) {
    byte[] bytes;
    try {
      String encoding = part.getEncoding();
      if (encoding != null) {
        try (InputStream in = decoder(
            new Bytes(raw, from, Math.min(to, from + MAX_BODY_CHARS * 12)), encoding)) {
          bytes = in.readNBytes(MAX_BODY_CHARS * 4);
        }
      } else {
        bytes = Arrays.copyOfRange(raw, from, Math.min(to, from + MAX_BODY_CHARS * 4));
      }
    } catch (MessagingException | IOException | RuntimeException e) {
      return "";
    }
    String charset = type == null ? null : type.getParameter("charset");
    return decode(bytes, charset);
  }

  /**
   * {@link MimeUtility#decode} for the common encodings through {@link #STREAMS} (no lookup), the
   * rest through it.
   */
  private static InputStream decoder(InputStream in, String encoding) throws MessagingException {
    if (encoding.equalsIgnoreCase("base64")) {
      return STREAMS.inputBase64(in);
    }
    if (encoding.equalsIgnoreCase("quoted-printable")) {
      return STREAMS.inputQP(in);
    }
    if (encoding.equalsIgnoreCase("7bit") || encoding.equalsIgnoreCase("8bit")
        || encoding.equalsIgnoreCase("binary")) {
      return in;
    }
    return MimeUtility.decode(in, encoding);
  }

  /** A {@link java.io.ByteArrayInputStream} over a range, without its locks. */
  private static final class Bytes extends InputStream {
    private final byte[] b;
    private final int end;
    private int pos;

    Bytes(byte[] b, int from, int to) {
      this.b = b;
      this.pos = from;
      this.end = to;
    }

    @Override
    public int read() {
      return pos < end ? b[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] out, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (pos >= end) {
        return -1;
      }
      int n = Math.min(len, end - pos);
      System.arraycopy(b, pos, out, off, n);
      pos += n;
      return n;
    }

    @Override
    public int available() {
      return end - pos;
    }
  }

  /** Decodes in the declared charset; undeclared, US-ASCII or unknown: UTF-8, else ISO-8859-1. */
  static String decode(byte[] bytes, String charset) {
    if (charset != null && !charset.isBlank()
        && !charset.strip().equalsIgnoreCase("us-ascii")) {
      try {
        return new String(bytes, Charset.forName(MimeUtility.javaCharset(charset.strip())));
      } catch (IllegalArgumentException e) {
        // unknown or illegal charset name: fall through to the guess below
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  private static String decodeText(String value) {
    if (value == null) {
      return "";
    }
    String unfolded = MimeUtility.unfold(value);
    try {
      return MimeUtility.decodeText(unfolded);
    } catch (IOException | RuntimeException e) {
      return unfolded;
    }
  }

  /** Addresses of these header values: lower case, no display names, each once. */
  static List<String> addresses(List<String> values) {
    Set<String> out = new LinkedHashSet<>();
    for (String value : values) {
      String unfolded = MimeUtility.unfold(value);
      try {
        for (InternetAddress address : InternetAddress.parseHeader(unfolded, false)) {
          addAddress(out, address);
        }
      } catch (AddressException | RuntimeException e) {
        Matcher m = LOOSE_ADDRESS.matcher(decodeText(unfolded));
        while (m.find()) {
          out.add(m.group().toLowerCase(Locale.ROOT));
        }
      }
    }
    return List.copyOf(out);
  }

  private static void addAddress(Set<String> out, InternetAddress address) throws AddressException {
    if (address.isGroup()) {
      for (InternetAddress member : address.getGroup(false)) {
        addAddress(out, member);
      }
      return;
    }
    String a = address.getAddress();
    if (a == null) {
      return;
    }
    Matcher m = LOOSE_ADDRESS.matcher(a);
    boolean found = false;
    while (m.find()) {
      out.add(m.group().toLowerCase(Locale.ROOT));
      found = true;
    }
    if (!found && LOCAL_ONLY.matcher(a).matches()) {
      out.add(a.toLowerCase(Locale.ROOT));
    }
  }

  private static String messageId(String value) {
    if (value == null) {
      return "";
    }
    String v = MimeUtility.unfold(value).strip();
    int open = v.indexOf('<');
    int close = v.indexOf('>', open + 1);
    if (open >= 0 && close > open) {
      return v.substring(open + 1, close).strip();
    }
    int space = v.indexOf(' ');
    return space < 0 ? v : v.substring(0, space);
  }

  private static Instant date(String value, Instant fallback) {
    if (value == null || value.isBlank()) {
      return fallback;
    }
    String v = MimeUtility.unfold(value).strip();
    Date parsed = DATES.get().parse(v, new ParsePosition(0));
    if (parsed != null) {
      return parsed.toInstant();
    }
    try {
      return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return fallback;
    }
  }

  /** The text and attachments found while walking the MIME structure. */
  private static final class Body {
    final StringBuilder text = new StringBuilder();
    final List<MessageDocument.Attachment> attachments = new ArrayList<>();

    boolean full() {
      return text.length() >= MAX_BODY_CHARS;
    }

    void append(String part) {
      String s = part.strip();
      int room = MAX_BODY_CHARS - text.length();
      if (room <= 0 || s.isEmpty()) {
        return;
      }
      if (text.length() > 0) {
        text.append('\n');
        room--;
      }
      text.append(s, 0, Math.min(room, s.length()));
    }
  }

  /** The top-level header fields, unfolded, each decoded as UTF-8 or else ISO-8859-1. */
  private record Headers(List<String[]> fields) {

    static Headers read(byte[] raw) {
      List<String[]> fields = new ArrayList<>();
      int pos = 0;
      int start = -1;
      while (pos < raw.length) {
        int end = pos;
        while (end < raw.length && raw[end] != '\n') {
          end++;
        }
        int lineEnd = end > pos && raw[end - 1] == '\r' ? end - 1 : end;
        if (lineEnd == pos) {
          break;
        }
        boolean continuation = raw[pos] == ' ' || raw[pos] == '\t';
        if (!continuation) {
          add(fields, raw, start, pos);
          start = pos;
        }
        pos = end + 1;
      }
      add(fields, raw, start, Math.min(pos, raw.length));
      return new Headers(fields);
    }

    private static void add(List<String[]> fields, byte[] raw, int start, int end) {
      if (start < 0 || end <= start) {
        return;
      }
      byte[] bytes = Arrays.copyOfRange(raw, start, end);
      String line = decode(bytes, null).replaceAll("\r?\n", "");
      int colon = line.indexOf(':');
      if (colon <= 0 || line.substring(0, colon).isBlank()
          || line.substring(0, colon).strip().contains(" ")) {
        return;
      }
      fields.add(new String[] {line.substring(0, colon).strip(), line.substring(colon + 1).strip()});
    }

    String first(String name) {
      for (String[] field : fields) {
        if (field[0].equalsIgnoreCase(name)) {
          return field[1];
        }
      }
      return null;
    }

    List<String> all(String name) {
      List<String> out = new ArrayList<>();
      for (String[] field : fields) {
        if (field[0].equalsIgnoreCase(name)) {
          out.add(field[1]);
        }
      }
      return out;
    }
  }
}
