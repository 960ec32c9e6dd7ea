package io.mailops.storage.queue.postfix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one queue file: the envelope ({@code C T S O R D / L} ... up to {@code M}), then jumps
 * over the content with the size record's data offset to the extracted segment ({@code X} ...
 * {@code E}), as {@code showq} does; or reads the header lines / the whole content when asked.
 * Stateless; each call opens and closes the file.
 */
final class QueueFileReader {

  /** Record types that may start a queue file ({@code REC_TYPE_ENVELOPE}). */
  private static final String ENVELOPE = "MCTcFILSDRO/WVA>K<ion";
  private static final int MAX_HEADER_BYTES = 1 << 20;

  private QueueFileReader() {}

  /** A recipient record as read: external address, original address, type R/D//, offset. */
  private record Raw(String address, String orig, int type, long offset) {}

  /** The envelope and extracted records of a file, before logfiles are attached. */
  private static final class Envelope {
    long contentSize = -1;
    long dataOffset = -1;
    int recipientCount = -1;
    boolean sizeOk;
    long arrivalSec = -1;
    long arrivalUsec;
    String sender;
    String filter = "";
    boolean qshapeLayout;
    final List<Raw> rcpts = new ArrayList<>();
    final List<String> headerLines = new ArrayList<>();
  }

  /**
   * Reads the message in {@code file}.
   *
   * @param headers also collect the header lines (for {@link #headers})
   * @param headerLines receives the unfolded header lines when {@code headers} is true
   */
  static QueuedMessage read(Path queueDir, QueueName queue, QueueId id, Path file,
      PosixFileAttributes attrs, byte[] buffer, boolean headers, List<String> headerLines)
      throws IOException {
    Envelope env;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      RecordReader r = new RecordReader(ch, attrs.size(), file, buffer);
      env = parse(r, headers, null);
    }
    if (env.sender == null) {
      throw new DamagedQueueFileException(file, -1, "no sender record (S); postqueue does not list it either");
    }
    if (headerLines != null) {
      headerLines.addAll(env.headerLines);
    }
    List<DeliveryStatus> defer = DeliveryLog.read(queueDir, DeliveryLog.Kind.DEFER, id, buffer);
    boolean anyDone = false;
    for (Raw rc : env.rcpts) {
      anyDone |= rc.type() == 'D';
    }
    List<DeliveryStatus> bounce = anyDone ? DeliveryLog.read(queueDir, DeliveryLog.Kind.BOUNCE, id, buffer)
        : List.of();
    List<QueuedRecipient> rcpts = attach(env.rcpts, defer, bounce);
    Instant mtime = attrs.lastModifiedTime().toInstant();
    Instant arrival = env.arrivalSec > 0 ? Instant.ofEpochSecond(env.arrivalSec, env.arrivalUsec * 1000) : mtime;
    long size = env.sizeOk && env.contentSize >= 0 ? env.contentSize : attrs.size();
    return new QueuedMessage(id, queue, file, mode(attrs.permissions()), attrs.size(), mtime, arrival,
        size, env.sender, env.recipientCount, env.filter, rcpts, defer, env.qshapeLayout);
  }

  /** Writes the message content (header and body lines, each ended by '\n') to {@code out}. */
  static void copyContent(Path file, long size, Writer out) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      RecordReader r = new RecordReader(ch, size, file, null);
      parse(r, false, out);
    }
  }

  private static Envelope parse(RecordReader r, boolean headers, Writer content) throws IOException {
    Envelope env = new Envelope();
    int type = r.peekType();
    if (type == RecordReader.EOF) {
      throw r.damaged(0, "the file is empty");
    }
    if (ENVELOPE.indexOf(type) >= 0) {
      type = r.next();
    }
    if (ENVELOPE.indexOf(type) < 0) {
      throw r.damaged(0, "not a Postfix queue file: it starts with record type " + RecordReader.name(type)
          + ", not an envelope record");
    }
    int first = type;
    int count = 0;
    boolean extracted = false;
    String orig = "";
    for (;;) {
      if (++count == 2) {
        env.qshapeLayout = first == 'C' && type == 'T' || first == 'S' || first == 'F' && type == 'S';
      }
      switch (type) {
        case 'C' -> {
          if (count == 1 && r.digitsAndBlanks()) {
            env.contentSize = r.field(0);
            env.dataOffset = r.field(1);
            env.recipientCount = (int) Math.min(Integer.MAX_VALUE, r.field(2));
            env.sizeOk = env.contentSize >= 0;
          }
        }
        case 'T' -> {
          if (env.arrivalSec < 0) {
            env.arrivalSec = r.field(0);
            env.arrivalUsec = Math.max(0, Math.min(999_999, r.field(1)));
          }
        }
        case 'S' -> {
          if (env.sender == null) {
            env.sender = externalize(r.text());
          }
        }
        case 'L' -> {
          if (!extracted) {
            env.filter = r.text();
          }
        }
        case 'O' -> orig = r.text();
        case 'R', 'D', '/' -> {
          String a = r.text();
          env.rcpts.add(new Raw(externalize(a.isEmpty() ? "MAILER-DAEMON" : a), orig, type,
              r.recordOffset()));
          orig = "";
        }
        case 'M' -> {
          if (extracted) {
            throw r.damaged(r.recordOffset(), "a second message content record (M)");
          }
          skipContent(r, env, headers, content);
          extracted = true;
          if (content != null) {
            return env;
          }
        }
        case 'X' -> extracted = true;
        case 'E' -> {
          return env;
        }
        default -> {
          // A, F, W, V, K, >, f, d, <, i, o, n, m, c, I, P, r, e: not needed here
        }
      }
      type = r.next();
      if (type == RecordReader.EOF) {
        throw r.damaged(r.size(), "the file ends without an end record (E): truncated, or still being written");
      }
    }
  }

  /**
   * Positions {@code r} after the {@code X} record that ends the content: a jump to data offset
   * + content size when the size record allows and nothing else is wanted, else a walk through
   * the content records.
   */
  private static void skipContent(RecordReader r, Envelope env, boolean headers, Writer content)
      throws IOException {
    long afterM = r.position();
    long x = env.sizeOk && env.dataOffset > 0 ? env.dataOffset + env.contentSize : -1;
    if (!headers && content == null && x > 0 && x < r.size()) {
      r.seek(x);
      if (r.nextRaw() == 'X') {
        return;
      }
      r.seek(afterM);
    }
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    boolean inHeader = headers;
    int headerBytes = 0;
    for (;;) {
      int t = r.next();
      if (t == 'X') {
        return;
      }
      if (t == RecordReader.EOF) {
        throw r.damaged(r.size(), "the file ends inside the message content (no X record): truncated");
      }
      if (t != 'N' && t != 'L') {
        throw r.damaged(r.recordOffset(), "record " + RecordReader.name(t) + " inside the message content");
      }
      if (!inHeader && content == null) {
        if (x > 0 && x < r.size()) {
          r.seek(x);
          if (r.nextRaw() == 'X') {
            return;
          }
          throw r.damaged(x, "the size record points to offset " + x + " but no X record is there");
        }
        continue;
      }
      line.write(r.buf(), r.dataStart(), r.length());
      if (t == 'L') {
        continue;
      }
      if (content != null) {
        content.write(RecordReader.decode(line.toByteArray(), 0, line.size()));
        content.write('\n');
      } else {
        if (line.size() == 0 || headerBytes > MAX_HEADER_BYTES) {
          inHeader = false;
        } else {
          headerBytes += line.size();
          String s = DeliveryLog.printable(RecordReader.decode(line.toByteArray(), 0, line.size())
              .replace('\t', ' '));
          int last = env.headerLines.size() - 1;
          if ((s.startsWith(" ")) && last >= 0) {
            env.headerLines.set(last, env.headerLines.get(last) + s);
          } else {
            env.headerLines.add(s);
          }
        }
      }
      line.reset();
    }
  }

  /**
   * Attaches logfile entries to recipients: by record offset, else by address (the first entry
   * wins). Few recipients and entries, the common case, are matched by a linear search; many
   * through hash maps.
   */
  private static List<QueuedRecipient> attach(List<Raw> raw, List<DeliveryStatus> defer,
      List<DeliveryStatus> bounce) {
    Index deferIx = new Index(defer, raw.size());
    Index bounceIx = bounce.isEmpty() ? deferIx.empty() : new Index(bounce, raw.size());
    List<QueuedRecipient> out = new ArrayList<>(raw.size());
    for (Raw rc : raw) {
      String address = rc.address();
      int type = rc.type();
      long offset = rc.offset();
      QueuedRecipient.State state;
      DeliveryStatus st = null;
      if (type == 'R') {
        st = deferIx.find(offset, address);
        state = st == null ? QueuedRecipient.State.PENDING : QueuedRecipient.State.DEFERRED;
      } else if (type == 'D') {
        st = bounceIx.find(offset, address);
        state = st == null ? QueuedRecipient.State.DONE : QueuedRecipient.State.BOUNCED;
      } else {
        state = QueuedRecipient.State.CANCELLED;
      }
      out.add(new QueuedRecipient(address, rc.orig(), state, offset, st));
    }
    return out;
  }

  /** Logfile entries looked up by recipient record offset, else by address. */
  private static final class Index {
    private static final int LINEAR = 256;
    private final List<DeliveryStatus> log;
    private final Map<Long, DeliveryStatus> at;
    private final Map<String, DeliveryStatus> to;

    Index(List<DeliveryStatus> log, int lookups) {
      this.log = log;
      if ((long) log.size() * lookups <= LINEAR) {
        at = null;
        to = null;
      } else {
        at = new HashMap<>();
        to = new HashMap<>();
        for (DeliveryStatus d : log) {
          if (d.offset() > 0) {
            at.putIfAbsent(d.offset(), d);
          }
          to.putIfAbsent(d.recipient(), d);
        }
      }
    }

    Index empty() {
      return new Index(List.of(), 0);
    }

    DeliveryStatus find(long offset, String address) {
      if (at != null) {
        return at.getOrDefault(offset, to.get(address));
      }
      for (DeliveryStatus d : log) {
        if (d.offset() > 0 && d.offset() == offset) {
          return d;
        }
      }
      for (DeliveryStatus d : log) {
        if (d.recipient().equals(address)) {
          return d;
        }
      }
      return null;
    }
  }

  static int mode(Set<PosixFilePermission> perms) {
    int m = 0;
    for (PosixFilePermission p : perms) {
      m |= switch (p) {
        case OWNER_READ -> 0400;
        case OWNER_WRITE -> 0200;
        case OWNER_EXECUTE -> 0100;
        case GROUP_READ -> 040;
        case GROUP_WRITE -> 020;
        case GROUP_EXECUTE -> 010;
        case OTHERS_READ -> 04;
        case OTHERS_WRITE -> 02;
        case OTHERS_EXECUTE -> 01;
      };
    }
    return m;
  }

  /**
   * Postfix's external address form ({@code quote_822_local()}, 8-bit clean) followed by
   * {@code printable()}: the local part is put in double quotes unless it is a dot-string.
   */
  static String externalize(String addr) {
    if (addr.isEmpty()) {
      return addr;
    }
    int start = 0;
    if (addr.charAt(0) == '@' && addr.indexOf(':') > 0) {
      start = addr.indexOf(':') + 1;
    }
    int end = addr.lastIndexOf('@');
    if (end < start) {
      end = addr.length();
    }
    String local = addr.substring(start, end);
    if (dotString(local)) {
      return DeliveryLog.printable(addr);
    }
    StringBuilder b = new StringBuilder(addr.length() + 4).append(addr, 0, start).append('"');
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      if (c == '"' || c == '\\' || c == '\r') {
        b.append('\\');
      }
      b.append(c);
    }
    return DeliveryLog.printable(b.append('"').append(addr, end, addr.length()).toString());
  }

  private static boolean dotString(String local) {
    if (local.isEmpty() || local.charAt(0) == '.' || local.charAt(local.length() - 1) == '.') {
      return false;
    }
    for (int i = 0; i < local.length(); i++) {
      char c = local.charAt(i);
      if (c == '.' && i + 1 < local.length() && local.charAt(i + 1) == '.'
          || c == ' ' || c < 0x20 || c == 0x7f || "()<>@,;:\\\"[]".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }
}
