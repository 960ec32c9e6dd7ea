package io.mailops.migrator.wire;

import io.mailops.migrator.ConnectionLostException;
import io.mailops.migrator.MigrationAccount;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.SpooledMessage;
import io.mailops.storage.imap.ImapLocation;
import io.mailops.storage.model.FolderPath;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxEncoder;

/**
 * One logged-in IMAP connection spoken on the wire, for pipelining: commands are written with
 * {@link #send} (buffered; {@link #flush} puts them on the wire) without waiting for their
 * answers, and {@link #read} returns the server's responses one by one, literals spooled into
 * bounded memory. The caller matches tagged responses to its commands by tag.
 *
 * <p>Opened by {@link #open}: TCP with {@code TCP_NODELAY}, TLS from the first byte for
 * {@code imaps}, STARTTLS as {@link ImapLocation#starttls()} says (host name and certificate
 * checked unless {@link ImapLocation#trustAll()}), then {@code LOGIN}. Connect timeout 20 s,
 * read timeout 60 s. Not thread-safe; {@link #close} logs out and closes the socket.
 */
public final class WireConnection implements Closeable {

  private final ImapLocation location;
  private Socket socket;
  private InputStream in;
  /** Bytes read from {@code in} and not consumed yet: {@code buf[pos..limit)}. */
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int limit;
  private OutputStream out;
  private final Set<String> capabilities = new HashSet<>();
  private int nextTag;
  private char separator;

  private WireConnection(ImapLocation location, Socket socket) throws IOException {
    this.location = location;
    use(socket);
  }

  /**
   * Connects to {@code location} and logs in with the password {@code passwords} gives; the
   * caller closes the connection.
   */
  public static WireConnection open(ImapLocation location, PasswordSource passwords)
      throws IOException {
    return open(location, passwords, MigrationAccount.Auth.LOGIN);
  }

  /**
   * Connects and logs in with {@code auth}: {@code LOGIN} for {@link MigrationAccount.Auth#LOGIN},
   * {@code AUTHENTICATE PLAIN} for {@link MigrationAccount.Auth#PLAIN}, {@code AUTHENTICATE
   * XOAUTH2} with the access token that {@code passwords} gives (read again on each connection, so a renewed token file is
   * used on a reconnect) for {@link MigrationAccount.Auth#XOAUTH2}.
   */
  public static WireConnection open(ImapLocation location, PasswordSource passwords,
      MigrationAccount.Auth auth) throws IOException {
    return open(location, passwords, auth, true);
  }

  /**
   * {@link #open(ImapLocation, PasswordSource, MigrationAccount.Auth)}; with {@code askSeparator}
   * false the hierarchy separator is not asked at login ({@code LIST "" ""}, a round trip): the
   * caller lists the folders next and gives the lines to {@link #separatorFrom} before it uses
   * {@link #mailbox}.
   */
  static WireConnection open(ImapLocation location, PasswordSource passwords,
      MigrationAccount.Auth auth, boolean askSeparator) throws IOException {
    Socket raw = new Socket();
    raw.setTcpNoDelay(true);
    try {
      raw.connect(new InetSocketAddress(location.host(), location.port()), 20_000);
      raw.setSoTimeout(60_000);
      Socket s = location.secure() ? WireTls.wrap(raw, location) : raw;
      WireConnection c = new WireConnection(location, s);
      c.auth = auth;
      c.start(passwords, askSeparator);
      return c;
    } catch (IOException e) {
      raw.close();
      if (e instanceof MailStoreException m) {
        throw m;
      }
      throw new MailStoreException("cannot connect to " + location + ": " + e.getMessage()
          + "; check the host, the port and that the server is up", e);
    }
  }

  /** How {@link #start} logs in. */
  private MigrationAccount.Auth auth = MigrationAccount.Auth.LOGIN;

  /** The limit on bytes read, or null. */
  private ByteRate rate;

  /** Reads from now on at most at {@code rate} on average ({@code --bytes-per-second}). */
  public void throttle(ByteRate rate) {
    this.rate = rate;
  }

  /** Who selected the mailbox that is selected now (see {@link #selectedBy}). */
  private Object selectionOwner;

  /**
   * Records that {@code owner} has selected (or examined) a mailbox: a reader that keeps track
   * of what it selected checks {@link #isSelectedBy} before relying on it.
   */
  public void selectedBy(Object owner) {
    selectionOwner = owner;
  }

  /** True if the last {@link #selectedBy} was {@code owner}'s. */
  public boolean isSelectedBy(Object owner) {
    return selectionOwner == owner;
  }

  /** The endpoint, for messages. */
  public ImapLocation location() {
    return location;
  }

  /** True if the server announced {@code capability} (case-insensitive), after login. */
  public boolean has(String capability) {
    return capabilities.contains(capability.toUpperCase(Locale.ROOT));
  }

  /** Writes {@code command} with a new tag into the buffer (see {@link #flush}); the tag. */
  public String send(String command) throws IOException {
    String tag = "w" + (++nextTag);
    out.write((tag + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
    return tag;
  }

  /**
   * Writes {@code tag command {n+}} and the literal {@code body} right after it: the caller has
   * checked that the server has {@code LITERAL+} (or {@code LITERAL-} and a literal of at most
   * 4096 bytes). The command ends with CRLF after the literal.
   */
  public String sendWithLiteral(String command, SpooledMessage body) throws IOException {
    return sendWithLiteral(command, body, true);
  }

  /**
   * {@link #sendWithLiteral(String, SpooledMessage)}; with {@code end} false the command is left
   * open after the literal, for {@link #continueWithLiteral} (MULTIAPPEND) and then
   * {@link #endCommand}. Nothing else may be sent meanwhile.
   */
  public String sendWithLiteral(String command, SpooledMessage body, boolean end)
      throws IOException {
    String tag = "w" + (++nextTag);
    out.write((tag + " " + command + " {" + body.size() + "+}\r\n")
        .getBytes(StandardCharsets.UTF_8));
    body.writeTo(out);
    if (end) {
      endCommand();
    }
    return tag;
  }

  /** Writes {@code " " + part + " {n+}"} and the literal {@code body} into the open command. */
  public void continueWithLiteral(String part, SpooledMessage body) throws IOException {
    out.write((" " + part + " {" + body.size() + "+}\r\n").getBytes(StandardCharsets.UTF_8));
    body.writeTo(out);
  }

  /** Writes the CRLF that ends the open command. */
  public void endCommand() throws IOException {
    out.write('\r');
    out.write('\n');
  }

  /**
   * Writes {@code tag command {n}} (a synchronising literal) and flushes; the caller reads
   * responses until the continuation request and then calls {@link #sendLiteral}.
   */
  public String sendLiteralHeader(String command, long size) throws IOException {
    String tag = "w" + (++nextTag);
    out.write((tag + " " + command + " {" + size + "}\r\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    return tag;
  }

  /** Writes a literal's bytes and the CRLF that ends its command. */
  public void sendLiteral(SpooledMessage body) throws IOException {
    body.writeTo(out);
    out.write('\r');
    out.write('\n');
  }

  /** Puts what was written on the wire. */
  public void flush() throws IOException {
    out.flush();
  }

  /**
   * The next response. A tagged {@code BAD} is returned like any other; the connection closed
   * by the server is an exception naming the endpoint.
   */
  public Response read() throws IOException {
    StringBuilder text = new StringBuilder();
    List<SpooledMessage> literals = new ArrayList<>();
    try {
      while (true) {
        String line = line();
        text.append(line);
        long n = literalSize(line);
        if (n < 0) {
          break;
        }
        literals.add(literal(n));
      }
    } catch (IOException | RuntimeException e) {
      for (SpooledMessage s : literals) {
        s.close();
      }
      throw e;
    }
    String all = text.toString();
    int sp = all.indexOf(' ');
    if (sp <= 0) {
      if (all.equals("+")) {
        return new Response("+", "", literals);
      }
      throw new MailStoreException("unexpected response from " + location + ": '" + shorten(all)
          + "'; the server does not speak IMAP as expected");
    }
    return new Response(all.substring(0, sp), all.substring(sp + 1), literals);
  }

  /**
   * Sends {@code command}, reads until its tagged response and returns the untagged ones; fails
   * with the server's text on {@code NO} or {@code BAD}.
   */
  public List<Response> run(String command, String what) throws IOException {
    String tag = send(command);
    flush();
    List<Response> untagged = new ArrayList<>();
    while (true) {
      Response r = read();
      if (r.tag().equals(tag)) {
        if (!r.ok()) {
          for (Response u : untagged) {
            u.close();
          }
          throw new MailStoreException("cannot " + what + " on " + location + ": the server said '"
              + shorten(r.text()) + "'");
        }
        return untagged;
      }
      untagged.add(r);
    }
  }

  /** {@link #run} for commands whose untagged responses carry no literals of interest. */
  public List<String> runText(String command, String what) throws IOException {
    List<String> out = new ArrayList<>();
    for (Response r : run(command, what)) {
      out.add(r.text());
      r.close();
    }
    return out;
  }

  /**
   * The server's name for {@code folder}, quoted for a command: segments joined with the
   * server's hierarchy separator, encoded in modified UTF-7.
   */
  public String mailbox(FolderPath folder) throws MailStoreException {
    if (folder.isInbox()) {
      return "INBOX";
    }
    for (String s : folder.segments()) {
      if (separator != '\0' && s.indexOf(separator) >= 0) {
        throw new MailStoreException("folder " + folder + " cannot be stored on " + location
            + ": segment '" + s + "' holds the server's hierarchy separator '" + separator
            + "'; rename the folder");
      }
    }
    String name = separator == '\0' ? folder.toString()
        : String.join(String.valueOf(separator), folder.segments());
    return quote(BASE64MailboxEncoder.encode(name));
  }

  /** Asks the hierarchy separator once, at login, so that {@link #mailbox} never waits. */
  private void askSeparator() throws IOException {
    separatorFrom(runText("LIST \"\" \"\"", "ask the hierarchy separator"));
  }

  /**
   * Takes the hierarchy separator from the first {@code LIST} response among {@code lines}
   * (untagged response texts; every {@code LIST} response carries it, RFC 3501 7.2.2).
   */
  void separatorFrom(List<String> lines) {
    for (String l : lines) {
      int q = l.indexOf('"');
      if (l.regionMatches(true, 0, "LIST ", 0, 5)) {
        separator = q >= 0 && q + 1 < l.length() && l.charAt(q + 1) != '"'
            ? (l.charAt(q + 1) == '\\' ? l.charAt(q + 2) : l.charAt(q + 1)) : '\0';
        return;
      }
    }
  }

  /** {@code s} as an IMAP quoted string; {@code s} must be 7-bit without CR, LF or NUL. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n' || c == 0 || c > 0x7e) {
        throw new IllegalArgumentException("cannot quote '" + s + "' for IMAP: it holds a line"
            + " break, NUL or a non-ASCII character");
      }
      if (c == '"' || c == '\\') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.append('"').toString();
  }

  @Override
  public void close() throws IOException {
    try {
      send("LOGOUT");
      flush();
      socket.setSoTimeout(2_000);
      for (int i = 0; i < 4; i++) {
        try (Response r = read()) {
          if (!r.untagged()) {
            break;
          }
        }
      }
    } catch (IOException e) {
      // the socket is closed below either way
    } finally {
      socket.close();
    }
  }

  // ---- connection setup

  private void use(Socket s) throws IOException {
    socket = s;
    InputStream rawIn = s.getInputStream();
    in = new FilterInputStream(rawIn) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = rawIn.read(b, off, len);
        if (n > 0 && rate != null) {
          rate.take(n);
        }
        return n;
      }
    };
    pos = 0;
    limit = 0;
    OutputStream raw = s.getOutputStream();
    out = new BufferedOutputStream(new FilterOutputStream(raw) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        try {
          raw.write(b, off, len);
        } catch (IOException e) {
          throw lost("cannot send to " + location + " (" + e.getMessage() + ")", e);
        }
      }

      @Override
      public void flush() throws IOException {
        try {
          raw.flush();
        } catch (IOException e) {
          throw lost("cannot send to " + location + " (" + e.getMessage() + ")", e);
        }
      }
    }, 64 * 1024);
  }

  private static ConnectionLostException lost(String message, IOException cause) {
    return cause instanceof ConnectionLostException c ? c
        : new ConnectionLostException(message + "; the connection is lost", cause);
  }

  private void start(PasswordSource passwords, boolean askSeparator) throws IOException {
    boolean known;
    try (Response greeting = read()) {
      if (!greeting.untagged() || greeting.status().equals("BYE")) {
        throw new MailStoreException("cannot connect to " + location + ": the server said '"
            + shorten(greeting.text()) + "'");
      }
      known = capabilityCode(greeting.text());
    }
    if (!known) {
      capability();
    }
    if (!location.secure() && !Boolean.FALSE.equals(location.starttls())) {
      if (has("STARTTLS")) {
        runText("STARTTLS", "start TLS");
        use(WireTls.wrap(socket, location));
        capability();
      } else if (Boolean.TRUE.equals(location.starttls())) {
        throw new MailStoreException("cannot use " + location + ": STARTTLS is required but the"
            + " server does not offer it; use imaps:// or starttls=false");
      }
    }
    char[] password = passwords.password(location.user(), location.host());
    known = false;
    try {
      if (auth == MigrationAccount.Auth.XOAUTH2) {
        xoauth2(new String(password));
      } else if (auth == MigrationAccount.Auth.PLAIN) {
        known = capabilityCode(plain(new String(password)));
      } else {
        known = capabilityCode(login(new String(password)));
      }
    } finally {
      Arrays.fill(password, '\0');
    }
    if (!known) {
      capability();
    }
    if (askSeparator) {
      askSeparator();
    }
  }

  /**
   * {@code AUTHENTICATE XOAUTH2 base64("user=" user ^A "auth=Bearer " token ^A ^A)}, the initial
   * response inline with SASL-IR, else after the continuation request. A refusal comes as a
   * continuation with a base64 JSON error, answered with an empty line before the {@code NO}.
   */
  private void xoauth2(String token) throws IOException {
    if (!has("AUTH=XOAUTH2")) {
      throw new MailStoreException("cannot log in to " + location + " as " + location.user()
          + " with XOAUTH2: the server does not offer AUTH=XOAUTH2; use the login or plain auth"
          + " with a password");
    }
    String ir = Base64.getEncoder().encodeToString(("user=" + location.user()
        + "\u0001auth=Bearer " + token.trim() + "\u0001\u0001").getBytes(StandardCharsets.UTF_8));
    String[] error = new String[1];
    try (Response r = authenticate("XOAUTH2", ir, challenge -> {
      error[0] = decode(challenge);
      return "";
    })) {
      if (!r.ok()) {
        throw new MailStoreException("cannot log in to " + location + " as "
            + location.user() + " with XOAUTH2: the server said '" + shorten(r.text()) + "'"
            + (error[0] == null ? "" : " (" + shorten(error[0]) + ")")
            + "; renew the access token in the token file");
      }
    }
  }

  /**
   * {@code AUTHENTICATE PLAIN base64(NUL user NUL password)} (RFC 4616), the initial response
   * inline with SASL-IR, else after the continuation request; the text of the tagged {@code OK}.
   */
  private String plain(String password) throws IOException {
    if (!has("AUTH=PLAIN")) {
      throw new MailStoreException("cannot log in to " + location + " as " + location.user()
          + " with PLAIN: the server does not offer AUTH=PLAIN; use the login auth, or TLS if"
          + " the server offers PLAIN only over TLS");
    }
    String ir = Base64.getEncoder().encodeToString(("\0" + location.user() + "\0" + password)
        .getBytes(StandardCharsets.UTF_8));
    // a second challenge is not PLAIN: the exchange is cancelled (RFC 3501 6.2.2)
    try (Response r = authenticate("PLAIN", ir, challenge -> "*")) {
      if (!r.ok()) {
        throw new MailStoreException("cannot log in to " + location + " as "
            + location.user() + " with PLAIN: the server said '" + shorten(r.text())
            + "'; check the user name and the password");
      }
      return r.text();
    }
  }

  /**
   * {@code AUTHENTICATE mechanism} with the initial response {@code ir}: inline with SASL-IR,
   * else as the answer to the first continuation request; a later continuation (a server's
   * challenge) is answered with what {@code challenge} returns for its text. The tagged
   * response, which the caller closes.
   */
  private Response authenticate(String mechanism, String ir, UnaryOperator<String> challenge)
      throws IOException {
    String tag = "w" + (++nextTag);
    boolean saslIr = has("SASL-IR");
    out.write((tag + " AUTHENTICATE " + mechanism + (saslIr ? " " + ir : "") + "\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    boolean sent = saslIr;
    while (true) {
      Response r = read();
      if (r.tag().equals(tag)) {
        return r;
      }
      try (r) {
        if (r.continuation()) {
          out.write(((sent ? challenge.apply(r.text()) : ir) + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          sent = true;
        }
      }
    }
  }

  private static String decode(String base64) {
    try {
      return new String(Base64.getDecoder().decode(base64.trim()),
          StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return base64;
    }
  }

  /** Logs in with {@code LOGIN}; the text of the server's tagged {@code OK}. */
  private String login(String password) throws IOException {
    String tag = "w" + (++nextTag);
    ByteArrayOutputStream cmd = new ByteArrayOutputStream();
    cmd.writeBytes((tag + " LOGIN ").getBytes(StandardCharsets.US_ASCII));
    List<byte[]> parts = List.of(location.user().getBytes(StandardCharsets.UTF_8),
        password.getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < parts.size(); i++) {
      byte[] p = parts.get(i);
      String text = new String(p, StandardCharsets.UTF_8);
      boolean plain = text.chars().allMatch(c -> c >= 0x20 && c <= 0x7e);
      if (plain) {
        cmd.writeBytes(quote(text).getBytes(StandardCharsets.US_ASCII));
      } else {
        // a literal: with LITERAL+ sent at once, else after the server's continuation request
        boolean nonSync = has("LITERAL+");
        cmd.writeBytes(("{" + p.length + (nonSync ? "+" : "") + "}\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        if (!nonSync) {
          out.write(cmd.toByteArray());
          out.flush();
          cmd.reset();
          try (Response r = read()) {
            if (!r.continuation()) {
              throw new MailStoreException("cannot log in to " + location + " as "
                  + location.user() + ": the server said '" + shorten(r.text()) + "'");
            }
          }
        }
        cmd.writeBytes(p);
      }
      if (i == 0) {
        cmd.write(' ');
      }
    }
    cmd.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.write(cmd.toByteArray());
    out.flush();
    while (true) {
      try (Response r = read()) {
        if (r.tag().equals(tag)) {
          if (!r.ok()) {
            throw new MailStoreException("cannot log in to " + location + " as "
                + location.user() + ": the server said '" + shorten(r.text())
                + "'; check the user name and the password");
          }
          return r.text();
        }
      }
    }
  }

  /**
   * Takes the capabilities from a {@code [CAPABILITY ...]} response code at the start of
   * {@code text} (the greeting's or the login's {@code OK}, RFC 3501 section 7.1: Dovecot sends
   * both), which saves the {@code CAPABILITY} round trip; false when there is none.
   */
  private boolean capabilityCode(String text) {
    int sp = text.indexOf(' ');
    String code = "[CAPABILITY ";
    if (sp < 0 || !text.regionMatches(true, sp + 1, code, 0, code.length())) {
      return false;
    }
    int end = text.indexOf(']', sp + 1);
    if (end < 0) {
      return false;
    }
    capabilities.clear();
    for (String c : text.substring(sp + 1 + code.length(), end).split(" ")) {
      if (!c.isEmpty()) {
        capabilities.add(c.toUpperCase(Locale.ROOT));
      }
    }
    return true;
  }

  private void capability() throws IOException {
    capabilities.clear();
    for (String l : runText("CAPABILITY", "ask the capabilities")) {
      if (l.regionMatches(true, 0, "CAPABILITY ", 0, 11)) {
        for (String c : l.substring(11).split(" ")) {
          capabilities.add(c.toUpperCase(Locale.ROOT));
        }
      }
    }
  }

  // ---- response reading

  /**
   * The next line without its CRLF (or bare LF), found in the read buffer; a line longer than
   * the buffer is collected across refills.
   */
  private String line() throws IOException {
    ByteArrayOutputStream longer = null;
    while (true) {
      for (int i = pos; i < limit; i++) {
        if (buf[i] == '\n') {
          String line;
          if (longer == null) {
            int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
            line = new String(buf, pos, end - pos, StandardCharsets.UTF_8);
          } else {
            longer.write(buf, pos, i - pos);
            byte[] bytes = longer.toByteArray();
            int n = bytes.length;
            line = new String(bytes, 0, n > 0 && bytes[n - 1] == '\r' ? n - 1 : n,
                StandardCharsets.UTF_8);
          }
          pos = i + 1;
          return line;
        }
      }
      if (limit > pos) {
        if (longer == null) {
          longer = new ByteArrayOutputStream(2 * (limit - pos));
        }
        longer.write(buf, pos, limit - pos);
      }
      fill();
    }
  }

  /** Refills the empty read buffer with at least one byte; fails at the end of the stream. */
  private void fill() throws IOException {
    pos = 0;
    limit = 0;
    int n;
    try {
      n = in.read(buf, 0, buf.length);
    } catch (SocketTimeoutException e) {
      throw new ConnectionLostException("no answer from " + location + " for 60 s; the server or"
          + " the network is stuck, run again", e);
    } catch (IOException e) {
      throw lost("cannot read from " + location + " (" + e.getMessage() + ")", e);
    }
    if (n < 0) {
      throw new ConnectionLostException("the connection to " + location + " was closed by the"
          + " server; run again to continue");
    }
    limit = n;
  }

  /**
   * A literal of {@code n} bytes: up to {@link SpooledMessage#IN_MEMORY} read straight into
   * memory (what is buffered already, then the rest from the socket) — from {@link
   * LiteralPool#MIN} bytes on into chunks of this thread's {@link LiteralPool}, smaller ones into a
   * slice of its current slab, which go back to the pool when the message is
   * {@link SpooledMessage#release}d; larger ones spooled to a temporary file.
   */
  private SpooledMessage literal(long n) throws IOException {
    if (n > SpooledMessage.IN_MEMORY) {
      return SpooledMessage.read(new Bounded(n));
    }
    LiteralPool pool = LiteralPool.local();
    if (n < LiteralPool.MIN) {
      LiteralPool.Slice slice = pool.slice((int) n);
      try {
        fillLiteral(slice.array(), slice.offset(), (int) n, n, 0);
      } catch (IOException | RuntimeException e) {
        slice.recycler().accept(slice.array());
        throw e;
      }
      return SpooledMessage.pooledSlice(slice.array(), slice.offset(), (int) n, slice.recycler());
    }
    byte[][] parts = new byte[(int) ((n + LiteralPool.CHUNK - 1) / LiteralPool.CHUNK)][];
    long done = 0;
    for (int i = 0; i < parts.length; i++) {
      parts[i] = pool.take();
      int len = (int) Math.min(LiteralPool.CHUNK, n - done);
      fillLiteral(parts[i], 0, len, n, done);
      done += len;
    }
    return SpooledMessage.pooled(parts, n, pool::give);
  }

  /**
   * Reads the next {@code len} bytes of a literal of {@code n} bytes, {@code done} of which were
   * read before, into {@code b[off..off + len)}: what is buffered first, then from the socket.
   */
  private void fillLiteral(byte[] b, int off, int len, long n, long done) throws IOException {
    int have = Math.min(limit - pos, len);
    System.arraycopy(buf, pos, b, off, have);
    pos += have;
    while (have < len) {
      int r;
      try {
        r = in.read(b, off + have, len - have);
      } catch (SocketTimeoutException e) {
        throw new ConnectionLostException("no answer from " + location + " for 60 s; the server"
            + " or the network is stuck, run again", e);
      } catch (IOException e) {
        throw lost("cannot read from " + location + " (" + e.getMessage() + ")", e);
      }
      if (r < 0) {
        throw new ConnectionLostException("the connection to " + location + " was closed in the"
            + " middle of a literal (" + (n - done - have) + " bytes missing); run again to"
            + " continue");
      }
      have += r;
    }
  }

  /** The size of the literal announced at the end of {@code line}, or -1. */
  static long literalSize(String line) {
    if (!line.endsWith("}")) {
      return -1;
    }
    int open = line.lastIndexOf('{');
    if (open < 0) {
      return -1;
    }
    String n = line.substring(open + 1, line.length() - 1);
    if (n.endsWith("+")) {
      n = n.substring(0, n.length() - 1);
    }
    if (n.isEmpty() || n.length() > 18 || !n.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Long.parseLong(n);
  }

  static String shorten(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  /** The next {@code n} bytes of the connection (buffer first), as a stream. */
  private final class Bounded extends InputStream {
    private long left;

    Bounded(long n) {
      this.left = n;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left == 0) {
        return -1;
      }
      if (pos == limit) {
        fill();
      }
      int n = (int) Math.min(Math.min(len, left), limit - pos);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      left -= n;
      return n;
    }
  }
}
