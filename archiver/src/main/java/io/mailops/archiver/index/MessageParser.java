package io.mailops.archiver.index;

import io.mailops.archiver.mime.MimeSplitter;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;

/**
 * Turns the raw bytes of one archived message into the {@link MessageDocument} the search index
 * takes. Lenient by design: a malformed header, an unknown charset or a broken MIME structure
 * never makes it throw; it indexes whatever it could read. Stateless and thread-safe.
 */
public final class MessageParser {

  /** At most this many characters of body text are indexed per message. */
  public static final int MAX_BODY_CHARS = 1024 * 1024;

  private static final int MAX_DEPTH = 20;
  static final Pattern LOOSE_ADDRESS =
      Pattern.compile("[^\\s<>,;:\"()\\[\\]]+@[^\\s<>,;:\"()\\[\\]]+");
  private static final Pattern LOCAL_ONLY = Pattern.compile("[\\w.+-]+");
  private static final Session SESSION = Session.getInstance(sessionProperties());
  private static final boolean[] BASE64 = new boolean[256];
  private static final byte[] RFC822 = "message/rfc822".getBytes(StandardCharsets.US_ASCII);
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
    return parse(id, raw, MimeSplitter.attachments(raw), source, archivedAt);
  }

  /**
   * Parses one message whose attachments are known.
   *
   * @param attachments what {@link MimeSplitter#attachments} gives for {@code raw}
   * @see #parse(String, byte[], String, Instant)
   */
  public static MessageDocument parse(String id, byte[] raw,
      List<MimeSplitter.Attachment> attachments, String source, Instant archivedAt) {
    return parse(id, raw, attachments, source, archivedAt, false);
  }

  /**
   * Parses one message; {@code jakartaOnly} parses its MIME structure and its address lists with
   * Jakarta Mail even where {@link RawMime} and {@link #simpleAddresses} could read them: the
   * reference the tests compare with.
   */
  static MessageDocument parse(String id, byte[] raw, List<MimeSplitter.Attachment> attachments,
      String source, Instant archivedAt, boolean jakartaOnly) {
    Headers headers = Headers.read(raw);
    Body body = jakartaOnly ? null : onTheBytes(raw, attachments);
    if (body == null) {
      body = new Body();
      try {
        MimeMessage message = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
        walk(message, body, 0);
      } catch (MessagingException | IOException | RuntimeException e) {
        // a broken MIME structure: keep the headers and whatever text was read before the break
      }
    }
    List<String> envelope = new ArrayList<>();
    boolean j = jakartaOnly;
    envelope.addAll(addresses(headers.all("X-Original-To"), j));
    envelope.addAll(addresses(headers.all("Delivered-To"), j));
    envelope.addAll(addresses(headers.all("X-Envelope-To"), j));
    return new MessageDocument(id, messageId(headers.first("Message-ID")),
        date(headers.first("Date"), archivedAt), addresses(headers.all("From"), j),
        addresses(headers.all("To"), j), addresses(headers.all("Cc"), j),
        addresses(headers.all("Bcc"), j), List.copyOf(new LinkedHashSet<>(envelope)),
        decodeText(headers.first("Subject")).strip(), raw.length, body.text.toString(),
        body.attachments, source, archivedAt);
  }

  private static Properties sessionProperties() {
    Properties properties = new Properties();
    properties.setProperty("mail.mime.allowutf8", "true");
    properties.setProperty("mail.mime.address.strict", "false");
    return properties;
  }

  private static void walk(Part part, Body body, int depth) throws MessagingException, IOException {
    if (depth > MAX_DEPTH) {
      return;
    }
    ContentType type = contentType(part);
    String baseType = type == null ? "text/plain" : type.getBaseType().toLowerCase(Locale.ROOT);
    String name = fileName(part);
    boolean attached = Part.ATTACHMENT.equalsIgnoreCase(disposition(part));
    if (baseType.startsWith("multipart/")) {
      Object content = part.getContent();
      if (content instanceof Multipart multipart) {
        for (int i = 0; i < multipart.getCount(); i++) {
          walk(multipart.getBodyPart(i), body, depth + 1);
        }
      }
    } else if (baseType.equals("message/rfc822")) {
      body.attachments.add(new MessageDocument.Attachment(name, baseType, countBytes(part)));
      Object content = part.getContent();
      if (content instanceof Part nested) {
        walk(nested, body, depth + 1);
      }
    } else if (!attached && name.isEmpty() && baseType.equals("text/plain")) {
      if (!body.full()) {
        body.append(text(part, type));
      }
    } else if (!attached && name.isEmpty() && baseType.equals("text/html")) {
      if (!body.full()) {
        body.append(htmlText(text(part, type)));
      }
    } else {
      body.attachments.add(new MessageDocument.Attachment(name, baseType, countBytes(part)));
    }
  }

  /**
   * The body text and attachments of {@code raw} with its MIME structure read by {@link RawMime}
   * (ADR 0044): what {@link #walk} finds through Jakarta Mail's streams, without them. Null
   * where {@link RawMime} is unsure, or the message has a {@code message/rfc822} part (whose
   * size {@link #walk} counts with the attachments inside it); the caller then walks it with
   * Jakarta Mail.
   */
  private static Body onTheBytes(byte[] raw, List<MimeSplitter.Attachment> attachments) {
    int from = 0;
    for (MimeSplitter.Attachment a : attachments) {
      if (contains(raw, from, a.start(), RFC822)) {
        return null;
      }
      from = a.end();
    }
    if (contains(raw, from, raw.length, RFC822)) {
      return null;
    }
    Body body = new Body();
    try {
      walk(raw, RawMime.message(raw), body, 0);
    } catch (RawMime.Unsure e) {
      return null;
    }
    return body;
  }

  /** Whether {@link #parse} reads this message's MIME structure on its bytes (for the tests). */
  static boolean readsOnTheBytes(byte[] raw, List<MimeSplitter.Attachment> attachments) {
    return onTheBytes(raw, attachments) != null;
  }

  /** {@link #walk(Part, Body, int)} over a part that {@link RawMime} found. */
  private static void walk(byte[] raw, RawMime.Part part, Body body, int depth)
      throws RawMime.Unsure {
    if (depth > MAX_DEPTH) {
      return;
    }
    MimeBodyPart meta = part.meta();
    ContentType type = contentType(meta);
    String baseType = type == null ? "text/plain" : type.getBaseType().toLowerCase(Locale.ROOT);
    String name = fileName(meta);
    boolean attached = Part.ATTACHMENT.equalsIgnoreCase(disposition(meta));
    if (baseType.startsWith("multipart/")) {
      for (RawMime.Part p : RawMime.parts(raw, part.start(), part.end(),
          type.getParameter("boundary"))) {
        walk(raw, p, body, depth + 1);
      }
    } else if (baseType.startsWith("message/")) {
      throw RawMime.Unsure.INSTANCE;
    } else if (!attached && name.isEmpty() && baseType.equals("text/plain")) {
      if (!body.full()) {
        body.append(text(raw, part, type));
      }
    } else if (!attached && name.isEmpty() && baseType.equals("text/html")) {
      if (!body.full()) {
        body.append(htmlText(text(raw, part, type)));
      }
    } else {
      body.attachments.add(new MessageDocument.Attachment(name, baseType,
          countBytes(raw, part)));
    }
  }

  /** {@link #countBytes(Part)} of a part that {@link RawMime} found. */
  private static long countBytes(byte[] raw, RawMime.Part part) throws RawMime.Unsure {
    String encoding = encoding(part.meta());
    String e = encoding == null ? "7bit" : encoding.strip().toLowerCase(Locale.ROOT);
    if (e.equals("base64")) {
      return base64Size(base64Chars(raw, part.start(), part.end()));
    }
    if (e.equals("7bit") || e.equals("8bit") || e.equals("binary")) {
      return part.end() - part.start();
    }
    try (InputStream in = MimeUtility.decode(new Bytes(raw, part.start(), part.end()), encoding)) {
      return in.transferTo(OutputStream.nullOutputStream());
    } catch (MessagingException | IOException | RuntimeException x) {
      return 0;
    }
  }

  /** {@link #text(Part, ContentType)} of a part that {@link RawMime} found. */
  private static String text(byte[] raw, RawMime.Part part, ContentType type)
      throws RawMime.Unsure {
    String encoding = encoding(part.meta());
    int limit = MAX_BODY_CHARS * 4;
    byte[] bytes;
    if (encoding == null) {
      bytes = Arrays.copyOfRange(raw, part.start(), Math.min(part.end(), part.start() + limit));
    } else {
      try {
        bytes = decoded(Arrays.copyOfRange(raw, part.start(),
            Math.min(part.end(), part.start() + MAX_BODY_CHARS * 12)), encoding, limit);
      } catch (MessagingException | IOException | RuntimeException e) {
        return "";
      }
    }
    String charset = type == null ? null : type.getParameter("charset");
    return decode(bytes, charset);
  }

  private static String encoding(MimeBodyPart part) throws RawMime.Unsure {
    try {
      return part.getEncoding();
    } catch (MessagingException e) {
      throw RawMime.Unsure.INSTANCE;
    }
  }

  /** The text of an HTML body: {@link HtmlText}'s, or Jsoup's where HtmlText cannot promise it. */
  private static String htmlText(String html) {
    String text = HtmlText.text(html);
    return text != null ? text : Jsoup.parse(html).text();
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
   * The decoded size of a part's body. A base64 body is not decoded: its size follows from the
   * number of base64 characters (the decoder skips everything else), which costs a scan instead
   * of a decode; 7bit, 8bit and binary bodies are their raw length; other encodings are decoded.
   */
  private static long countBytes(Part part) {
    try {
      if (part instanceof MimePart mime) {
        String encoding = mime.getEncoding();
        String e = encoding == null ? "7bit" : encoding.strip().toLowerCase(Locale.ROOT);
        if (e.equals("base64")) {
          try (InputStream in = mime instanceof MimeBodyPart b ? b.getRawInputStream()
              : ((MimeMessage) mime).getRawInputStream()) {
            return base64Size(in);
          }
        }
        if (e.equals("7bit") || e.equals("8bit") || e.equals("binary")) {
          try (InputStream in = mime instanceof MimeBodyPart b ? b.getRawInputStream()
              : ((MimeMessage) mime).getRawInputStream()) {
            return in.transferTo(OutputStream.nullOutputStream());
          }
        }
      }
      try (InputStream in = part.getInputStream()) {
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

  /** Whether {@code raw[from, to)} contains {@code lower} (lower-case ASCII), ignoring case. */
  private static boolean contains(byte[] raw, int from, int to, byte[] lower) {
    int last = to - lower.length;
    outer:
    for (int i = from; i <= last; i++) {
      if ((raw[i] | 0x20) != lower[0]) {
        continue;
      }
      for (int j = 1; j < lower.length; j++) {
        int c = raw[i + j];
        if (c != lower[j] && (c | 0x20) != lower[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static String text(Part part, ContentType type) {
    byte[] bytes;
    try {
      bytes = decoded(part, MAX_BODY_CHARS * 4);
    } catch (MessagingException | IOException | RuntimeException e) {
      return "";
    }
    String charset = type == null ? null : type.getParameter("charset");
    return decode(bytes, charset);
  }

  /**
   * Up to {@code limit} bytes of the decoded body of a text part, decoded from an unsynchronized
   * copy of its raw bytes: the quoted-printable decoder of Jakarta Mail reads its input byte by
   * byte, which on the synchronized {@code read()} of Jakarta Mail's own stream cost more than
   * the rest of the parsing; quoted-printable is decoded by {@link QuotedPrintable} (the same
   * bytes, without the stream).
   */
  private static byte[] decoded(Part part, int limit) throws MessagingException, IOException {
    if (part instanceof MimePart mime && mime.getEncoding() != null) {
      String encoding = mime.getEncoding();
      byte[] raw;
      try (InputStream in = mime instanceof MimeBodyPart b ? b.getRawInputStream()
          : ((MimeMessage) mime).getRawInputStream()) {
        raw = in.readNBytes(MAX_BODY_CHARS * 12);
      }
      return decoded(raw, encoding, limit);
    }
    try (InputStream in = part.getInputStream()) {
      return in.readNBytes(limit);
    }
  }

  /** Up to {@code limit} bytes of {@code raw} decoded from this transfer encoding. */
  private static byte[] decoded(byte[] raw, String encoding, int limit)
      throws MessagingException, IOException {
    if (encoding.equalsIgnoreCase("quoted-printable")) {
      return QuotedPrintable.decode(raw, limit);
    }
    try (InputStream in = MimeUtility.decode(new Bytes(raw, 0, raw.length), encoding)) {
      return in.readNBytes(limit);
    }
  }

  /** A {@link java.io.ByteArrayInputStream} over {@code b[pos, end)} without its locks. */
  private static final class Bytes extends InputStream {
    private final byte[] b;
    private int pos;
    private final int end;

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
  private static List<String> addresses(List<String> values, boolean jakartaOnly) {
    Set<String> out = new LinkedHashSet<>();
    for (String value : values) {
      String unfolded = MimeUtility.unfold(value);
      if (jakartaOnly || !simpleAddresses(unfolded, out)) {
        parsedAddresses(unfolded, out);
      }
    }
    return List.copyOf(out);
  }

  /** Adds the addresses of one unfolded header value as Jakarta Mail's parser reads them. */
  static void parsedAddresses(String unfolded, Set<String> out) {
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

  /**
   * Adds the addresses of a common address list — bare addresses and {@code display name
   * <address>}, separated by commas, display names plain or quoted — as {@link #addresses} does
   * through {@code InternetAddress.parseHeader}, and returns true; returns false, having added
   * nothing, for anything else (comments, groups, domain literals, routes, non-ASCII, escapes,
   * an empty element, an address that is not {@link #plainAddress}), which then goes through
   * Jakarta Mail. Spares its large parser for nearly every message (ADR 0044).
   */
  static boolean simpleAddresses(String v, Set<String> out) {
    List<String> found = new ArrayList<>(4);
    int n = v.length();
    int i = 0;
    while (true) {
      // one element: [display name] <address> | address
      int elementStart = i;
      int open = -1;
      boolean quoted = false;
      boolean atOutside = false;
      while (i < n) {
        char c = v.charAt(i);
        if (c >= 0x80 || c == '\\') {
          return false;
        }
        if (c == '"') {
          quoted = !quoted;
        } else if (quoted) {
          if (c == '<' || c == '>') {
            return false;
          }
        } else if (c == ',') {
          break;
        } else if (c == '<') {
          open = i;
          break;
        } else if (c == '@') {
          atOutside = true;
        } else if (c == '(' || c == ')' || c == ':' || c == ';' || c == '[' || c == ']'
            || c == '>') {
          return false;
        }
        i++;
      }
      if (quoted) {
        return false;
      }
      String address;
      if (open >= 0) {
        int close = v.indexOf('>', open + 1);
        if (close < 0 || atOutside) {
          return false;
        }
        address = v.substring(open + 1, close);
        if (!plainAddress(address)) {
          return false;
        }
        i = close + 1;
        while (i < n && (v.charAt(i) == ' ' || v.charAt(i) == '\t')) {
          i++;
        }
        if (i < n && v.charAt(i) != ',') {
          return false;
        }
      } else {
        address = v.substring(elementStart, i).strip();
        if (!plainAddress(address) || address.indexOf('"') >= 0) {
          return false;
        }
      }
      found.add(address.toLowerCase(Locale.ROOT));
      if (i >= n) {
        break;
      }
      i++;   // the comma
    }
    out.addAll(found);
    return true;
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
    if (plainAddress(a)) {
      out.add(a.toLowerCase(Locale.ROOT));  // what the pattern below finds in it: all of it
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

  /**
   * Whether {@link #LOOSE_ADDRESS} finds exactly one match in {@code a}, all of it: no character
   * the pattern excludes, and an {@code @} with something before and after it (the greedy
   * pattern then takes the last such {@code @} and the whole string). Spares the regex for
   * nearly every address.
   */
  static boolean plainAddress(String a) {
    int n = a.length();
    boolean at = false;
    for (int i = 0; i < n; i++) {
      char c = a.charAt(i);
      switch (c) {
        case ' ', '\t', '\n', '\u000B', '\f', '\r', '<', '>', ',', ';', ':', '"', '(', ')', '[',
            ']' -> {
          return false;
        }
        case '@' -> at |= i > 0 && i < n - 1;
        default -> { }
      }
    }
    return at;
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

  /** The text and attachments found while walking the MIME tree. */
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

  /**
   * {@code s} without its line breaks (LF and the CR before it; a lone CR stays): what {@code
   * s.replaceAll("\r?\n", "")} gives, without compiling a pattern per header line.
   */
  static String unfoldLines(String s) {
    int lf = s.indexOf('\n');
    if (lf < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int from = 0;
    while (lf >= 0) {
      int end = lf > from && s.charAt(lf - 1) == '\r' ? lf - 1 : lf;
      out.append(s, from, end);
      from = lf + 1;
      lf = s.indexOf('\n', from);
    }
    return out.append(s, from, s.length()).toString();
  }

  /** Whether {@code raw[from, to)} is all ASCII (which every charset {@link #decode} tries reads alike). */
  private static boolean ascii(byte[] raw, int from, int to) {
    for (int i = from; i < to; i++) {
      if (raw[i] < 0) {
        return false;
      }
    }
    return true;
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
      String line = unfoldLines(ascii(raw, start, end)
          ? new String(raw, start, end - start, StandardCharsets.ISO_8859_1)
          : decode(Arrays.copyOfRange(raw, start, end), null));
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
