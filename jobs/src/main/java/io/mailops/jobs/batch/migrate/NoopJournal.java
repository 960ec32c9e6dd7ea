package io.mailops.jobs.batch.migrate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

/**
 * The runs with nothing new that a {@code migrate run} answered without opening its embedded H2
 * job repository (docs/adr/0054), kept in a file beside the other migration files until the
 * repository is next opened: then {@link #replay} writes each as the completed {@code migrate}
 * job execution it is ({@link NoopRunRecord}, with its start and end times) and its per-account
 * reports, and empties the file. Opening H2 is most of a no-op run's cost (its TCP server, lock
 * file and store: ~0.2 s of CPU of ~0.45); the next command that opens the repository for its own
 * sake ({@code migrate status}, {@code jobs history}, the next migration) pays only the inserts.
 *
 * <p>One entry per run, appended under an exclusive lock on the file and forced to disk before
 * the run answers: {@code length, payload, CRC-32}. An entry cut short by a crash fails its
 * length or CRC and is dropped with everything after it. A replay holds the same lock while it
 * writes; an entry whose job instance is already in the repository (a replay that committed and
 * then died before emptying the file) is not written twice. Entries of another repository URL
 * (a {@code --config} with another {@code spring.datasource.url}) stay for that one.
 */
public final class NoopJournal {

  private static final int VERSION = 1;

  /**
   * The journal's size from which a run with nothing new opens the repository after all and
   * empties the journal into it (~5 KB per account and run: ~20 runs of ten accounts), so that
   * the next command that opens it never has more than that to write (~20 ms per run of ten
   * accounts: ~0.4 s at most; docs/adr/0054).
   */
  public static final long LIMIT = 1L << 20;

  private final Path file;
  private final MigrationReports reports;

  /** The journal of {@code home} ({@code MAILOPS_HOME}), whose runs' reports go there too. */
  public NoopJournal(Path home) {
    this.file = home.resolve("migrate/noop-runs.journal");
    this.reports = new MigrationReports(home);
  }

  /** The journal's file. */
  public Path file() {
    return file;
  }

  /** True when the journal has reached {@link #LIMIT}. */
  boolean full() {
    try {
      return Files.size(file) >= LIMIT;
    } catch (IOException e) {
      return false; // no journal
    }
  }

  /** True when the journal's file exists (it may hold no entry). */
  public boolean exists() {
    return Files.exists(file);
  }

  /**
   * True for the repository URLs a no-op run journals for: an H2 database in a file of this host
   * (not {@code mem:}, not a {@code tcp:} or {@code ssl:} server elsewhere).
   */
  public static boolean journals(String url) {
    if (url == null || !url.startsWith("jdbc:h2:")) {
      return false;
    }
    String rest = url.substring("jdbc:h2:".length());
    return !rest.startsWith("mem:") && !rest.startsWith("tcp:") && !rest.startsWith("ssl:");
  }

  /** One run: as {@link NoopRunRecord#write} takes it, and its accounts' reports by line. */
  record Entry(String url, String job, List<String[]> parameters, Instant started,
      Instant ended, NoopRunRecord.Context manager, List<NoopRunRecord.Context> steps,
      List<Integer> lines, List<String> reports) {

    /** The parameters as Spring Batch's (all strings, as {@link MigrateRequest} makes them). */
    JobParameters jobParameters() {
      Set<JobParameter<?>> p = new HashSet<>();
      for (String[] e : parameters) {
        p.add(new JobParameter<>(e[0], e[1], String.class, Boolean.parseBoolean(e[2])));
      }
      return new JobParameters(p);
    }
  }

  /** The entry of a run of {@code parameters} (string parameters only). */
  static List<String[]> parameters(JobParameters parameters) {
    List<String[]> out = new ArrayList<>();
    for (JobParameter<?> p : parameters) {
      if (p.type() != String.class) {
        throw new IllegalArgumentException("parameter " + p.name() + " is a " + p.type());
      }
      out.add(new String[] {p.name(), (String) p.value(), String.valueOf(p.identifying())});
    }
    return out;
  }

  /** Appends {@code e} and forces it to disk. */
  void append(Entry e) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(frame(e));
    Files.createDirectories(file.getParent());
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
      long end = validLength(ch);
      ch.position(end);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.truncate(end + b.capacity());
      ch.force(false);
    }
  }

  /** The entries now in the journal, the complete ones in order. */
  List<Entry> entries() throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return read(ch);
    }
  }

  /**
   * Writes every entry of the repository {@code url} into {@code db} (table prefix {@code
   * prefix}), each in its own transaction, and its reports (MigrationReports); keeps the
   * entries of other URLs. Returns how many runs were written. Nothing to do, and no file made,
   * when there is no journal.
   */
  public int replay(Connection db, String url, String prefix)
      throws IOException, SQLException {
    if (!Files.exists(file)) {
      return 0;
    }
    int written = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE); FileLock ignored = ch.lock()) {
      List<Entry> all = read(ch);
      List<Entry> others = new ArrayList<>();
      for (Entry e : all) {
        if (!e.url().equals(url)) {
          others.add(e);
          continue;
        }
        JobParameters parameters = e.jobParameters();
        long instance = instance(db, prefix, e.job(), NoopRunRecord.jobKey(parameters));
        if (instance < 0) {
          // the times in this process's zone, as the job stores them (a run's own process
          // does not load the zone rules for them: ~35 ms of CPU)
          instance = new NoopRunRecord(db, prefix, false).write(e.job(), parameters,
              LocalDateTime.ofInstant(e.started(), ZoneId.systemDefault()),
              LocalDateTime.ofInstant(e.ended(), ZoneId.systemDefault()), e.manager().step(),
              steps(e))[0];
          written++;
        }
        for (int i = 0; i < e.lines().size(); i++) {
          reports.write(instance, e.lines().get(i), e.reports().get(i));
        }
      }
      ByteArrayOutputStream keep = new ByteArrayOutputStream();
      for (Entry e : others) {
        keep.write(frame(e));
      }
      ch.truncate(0);
      ch.position(0);
      ByteBuffer b = ByteBuffer.wrap(keep.toByteArray());
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(false);
    }
    return written;
  }

  /** The account steps of {@code e}, their contexts serialized. */
  private static List<NoopRunRecord.Step> steps(Entry e) throws IOException {
    List<NoopRunRecord.Step> out = new ArrayList<>();
    for (NoopRunRecord.Context c : e.steps()) {
      out.add(c.step());
    }
    return out;
  }

  /** The id of the instance of {@code job} with {@code key}, or -1. */
  private static long instance(Connection db, String prefix, String job, String key)
      throws SQLException {
    try (PreparedStatement q = db.prepareStatement("SELECT JOB_INSTANCE_ID FROM " + prefix
        + "JOB_INSTANCE WHERE JOB_NAME = ? AND JOB_KEY = ?")) {
      q.setString(1, job);
      q.setString(2, key);
      try (ResultSet r = q.executeQuery()) {
        return r.next() ? r.getLong(1) : -1;
      }
    }
  }

  /**
   * The length of the complete entries at the start of {@code ch}, for an append: the entries'
   * lengths walked, and the CRC checked of the last one only (entries are appended one at a time
   * under the lock, so only the last can have been cut short: an append reads a few bytes per
   * entry, not the whole journal).
   */
  private static long validLength(FileChannel ch) throws IOException {
    long at = 0;
    long last = -1;
    long size = ch.size();
    int n;
    while ((n = length(ch, at, size)) >= 0) {
      last = at;
      at += 4 + n + 8;
    }
    return last >= 0 && body(ch, last, length(ch, last, size)) == null ? last : at;
  }

  /**
   * The payload length of the entry at {@code at} of a file of {@code size} bytes; -1 when none
   * fits there. An entry is never empty: a length of 0 is a tail of zeros that a crash left (the
   * file grown, its blocks not written), where an empty payload's CRC (0) would match.
   */
  private static int length(FileChannel ch, long at, long size) throws IOException {
    if (at + 4 > size) {
      return -1;
    }
    int n = read(ch, at, 4).getInt(0);
    return n < 4 || at + 4 + n + 8 > size ? -1 : n;
  }

  /** The payload of the entry of {@code n} bytes at {@code at}; null when its CRC fails. */
  private static byte[] body(FileChannel ch, long at, int n) throws IOException {
    ByteBuffer b = read(ch, at + 4, n + 8);
    return b.getLong(n) == crc(b.array(), n) ? Arrays.copyOf(b.array(), n) : null;
  }

  /** {@code n} bytes of {@code ch} from {@code at} (the caller knows the file holds them). */
  private static ByteBuffer read(FileChannel ch, long at, int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      if (ch.read(b, at + b.position()) < 0) {
        throw new IOException("the no-op run journal ended at " + (at + b.position()));
      }
    }
    return b;
  }

  /** The complete entries at the start of {@code ch}, each read once. */
  private static List<Entry> read(FileChannel ch) throws IOException {
    List<Entry> out = new ArrayList<>();
    long size = ch.size();
    long at = 0;
    int n;
    byte[] payload;
    while ((n = length(ch, at, size)) >= 0 && (payload = body(ch, at, n)) != null) {
      out.add(decode(payload));
      at += 4 + n + 8;
    }
    return out;
  }

  /** {@code e} as the journal holds it: length, payload, CRC-32. */
  private static byte[] frame(Entry e) throws IOException {
    byte[] payload = encode(e);
    return ByteBuffer.allocate(4 + payload.length + 8).putInt(payload.length).put(payload)
        .putLong(crc(payload)).array();
  }

  private static byte[] encode(Entry e) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(bytes);
    d.writeInt(VERSION);
    string(d, e.url());
    string(d, e.job());
    d.writeInt(e.parameters().size());
    for (String[] p : e.parameters()) {
      string(d, p[0]);
      string(d, p[1]);
      d.writeBoolean(Boolean.parseBoolean(p[2]));
    }
    d.writeLong(e.started().getEpochSecond());
    d.writeInt(e.started().getNano());
    d.writeLong(e.ended().getEpochSecond());
    d.writeInt(e.ended().getNano());
    step(d, e.manager());
    d.writeInt(e.steps().size());
    for (NoopRunRecord.Context s : e.steps()) {
      step(d, s);
    }
    d.writeInt(e.lines().size());
    for (int i = 0; i < e.lines().size(); i++) {
      d.writeInt(e.lines().get(i));
      string(d, e.reports().get(i));
    }
    d.flush();
    return bytes.toByteArray();
  }

  private static Entry decode(byte[] payload) throws IOException {
    DataInputStream d = new DataInputStream(new ByteArrayInputStream(payload));
    int version = d.readInt();
    if (version != VERSION) {
      throw new IOException("no-op run journal entry of version " + version);
    }
    String url = string(d);
    String job = string(d);
    List<String[]> parameters = new ArrayList<>();
    for (int i = d.readInt(); i > 0; i--) {
      parameters.add(new String[] {string(d), string(d), String.valueOf(d.readBoolean())});
    }
    Instant started = Instant.ofEpochSecond(d.readLong(), d.readInt());
    Instant ended = Instant.ofEpochSecond(d.readLong(), d.readInt());
    NoopRunRecord.Context manager = step(d);
    List<NoopRunRecord.Context> steps = new ArrayList<>();
    for (int i = d.readInt(); i > 0; i--) {
      steps.add(step(d));
    }
    List<Integer> lines = new ArrayList<>();
    List<String> reports = new ArrayList<>();
    for (int i = d.readInt(); i > 0; i--) {
      lines.add(d.readInt());
      reports.add(string(d));
    }
    return new Entry(url, job, parameters, started, ended, manager, steps, lines, reports);
  }

  /** A step: name, type, then its context entries, each a key, a type tag and a value. */
  private static void step(DataOutputStream d, NoopRunRecord.Context s) throws IOException {
    string(d, s.name());
    string(d, s.type());
    d.writeInt(s.entries().size());
    for (Map.Entry<String, Object> e : s.entries().entrySet()) {
      string(d, e.getKey());
      if (e.getValue() instanceof Integer i) {
        d.writeByte('I');
        d.writeInt(i);
      } else if (e.getValue() instanceof Long l) {
        d.writeByte('J');
        d.writeLong(l);
      } else if (e.getValue() instanceof String v) {
        d.writeByte('S');
        string(d, v);
      } else {
        throw new IOException("context entry " + e.getKey() + " of step " + s.name() + " is a "
            + e.getValue().getClass().getName() + "; the journal keeps ints, longs and strings");
      }
    }
  }

  private static NoopRunRecord.Context step(DataInputStream d) throws IOException {
    String name = string(d);
    String type = string(d);
    Map<String, Object> entries = new HashMap<>();
    for (int i = d.readInt(); i > 0; i--) {
      String key = string(d);
      byte tag = d.readByte();
      entries.put(key, switch (tag) {
        case 'I' -> d.readInt();
        case 'J' -> d.readLong();
        case 'S' -> string(d);
        default -> throw new IOException("context entry " + key + " of type " + tag);
      });
    }
    return new NoopRunRecord.Context(name, type, entries);
  }

  private static void string(DataOutputStream d, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    d.writeInt(b.length);
    d.write(b);
  }

  private static String string(DataInputStream d) throws IOException {
    byte[] b = new byte[d.readInt()];
    d.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static long crc(byte[] b) {
    return crc(b, b.length);
  }

  private static long crc(byte[] b, int n) {
    CRC32 c = new CRC32();
    c.update(b, 0, n);
    return c.getValue();
  }
}
