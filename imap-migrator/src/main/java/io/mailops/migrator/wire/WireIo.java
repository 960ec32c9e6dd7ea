package io.mailops.migrator.wire;

import io.mailops.migrator.MessageReader;
import io.mailops.migrator.MessageWriter;
import io.mailops.migrator.MigrationAccount;
import io.mailops.migrator.Migrator;
import io.mailops.migrator.SourceExpunger;
import io.mailops.storage.MailStore;
import io.mailops.storage.imap.ImapLocation;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The message traffic of one account's migration: a {@link WireConnection} per IMAP side
 * (reader of the source; reader and pipelined writer of the target), the stores' own one message
 * at a time for a Maildir side or an XOAUTH2 login (which the wire layer does not speak). When
 * both sides are on the wire, the verification fingerprints them from headers and
 * {@code RFC822.SIZE} ({@link WireReader#prints}); the migration's dedupe always reads whole
 * messages.
 * {@link #close} closes the connections it opened, not the stores.
 */
public final class WireIo implements Closeable {

  private WireConnection sourceWire;
  private WireConnection targetWire;
  private Migrator.Io io;
  private MigrationAccount account;
  private MailStore source;
  private MailStore target;
  private Limits limits = Limits.NONE;
  private HostLimits.Permit permit = () -> {};

  private WireIo(WireConnection sourceWire, WireConnection targetWire, Migrator.Io io) {
    this.sourceWire = sourceWire;
    this.targetWire = targetWire;
    this.io = io;
  }

  /**
   * Closes the connections (ignoring errors: one of them is dead) and opens new ones, for
   * {@link Migrator#reconnecting}; {@link #io} then returns readers and writer on them.
   */
  public Migrator.Io reopen() throws IOException {
    try {
      closeConnections();
    } catch (IOException ignored) {
      // the connection that died cannot be closed cleanly
    }
    sourceWire = null;
    targetWire = null;
    WireIo fresh = connectAll(account, source, target, limits);
    sourceWire = fresh.sourceWire;
    targetWire = fresh.targetWire;
    io = fresh.io;
    return io;
  }

  /**
   * Opens the connections for {@code account}, whose stores {@code source} and {@code target}
   * are open already; the caller closes the result.
   */
  public static WireIo open(MigrationAccount account, MailStore source, MailStore target)
      throws IOException {
    return open(account, source, target, Limits.NONE);
  }

  /**
   * Throttles of one run: connections per host over all accounts ({@link HostLimits}), and
   * message bytes per second fetched from each account's source (0 for no limit).
   */
  public record Limits(HostLimits hosts, long bytesPerSecond) {

    /** No limits. */
    public static final Limits NONE = new Limits(HostLimits.NONE, 0);

    public Limits {
      Objects.requireNonNull(hosts, "hosts");
      if (bytesPerSecond < 0) {
        throw new IllegalArgumentException("bytes per second must be >= 0, got "
            + bytesPerSecond);
      }
    }
  }

  /**
   * As {@link #open(MigrationAccount, MailStore, MailStore)}, first waiting for permits of
   * {@code limits.hosts()} for its IMAP connections (kept until {@link #close}, also across
   * {@link #reopen}), and with the source's reads throttled to {@code limits.bytesPerSecond()}.
   */
  public static WireIo open(MigrationAccount account, MailStore source, MailStore target,
      Limits limits) throws IOException {
    List<String> hosts = new ArrayList<>();
    for (MigrationAccount.Endpoint e : List.of(account.source(), account.target())) {
      if (!e.isMaildir()) {
        hosts.add(ImapLocation.parse(URI.create(e.uri())).host());
      }
    }
    HostLimits.Permit permit = limits.hosts().acquire(hosts, "account " + account.source()
        .account() + (account.line() > 0 ? " (line " + account.line() + ")" : ""));
    try {
      WireIo w = connectAll(account, source, target, limits);
      w.permit = permit;
      return w;
    } catch (IOException | RuntimeException e) {
      permit.close();
      throw e;
    }
  }

  private static WireIo connectAll(MigrationAccount account, MailStore source, MailStore target,
      Limits limits) throws IOException {
    // the two logins at once (Logins): each is two or three round trips
    Logins.Pair<WireConnection, WireConnection> wires = Logins.open(
        () -> connect(account.source()).orElse(null), () -> connect(account.target()).orElse(null));
    WireConnection s = wires.first();
    WireConnection t = wires.second();
    if (s != null && limits.bytesPerSecond() > 0) {
      s.throttle(new ByteRate(limits.bytesPerSecond()));
    }
    boolean both = s != null && t != null;
    MessageReader sr = s != null ? new WireReader(s, both) : MessageReader.of(source);
    MessageReader tr = t != null ? new WireReader(t, both) : MessageReader.of(target);
    MessageWriter tw = t != null ? new WireWriter(t) : MessageWriter.of(target);
    WireIo w = new WireIo(s, t, new Migrator.Io(sr, tr, tw));
    w.account = account;
    w.source = source;
    w.target = target;
    w.limits = limits;
    return w;
  }

  private static Optional<WireConnection> connect(MigrationAccount.Endpoint e)
      throws IOException {
    if (e.isMaildir()) {
      return Optional.empty();
    }
    return Optional.of(WireConnection.open(ImapLocation.parse(URI.create(e.uri())),
        e.passwords(), e.auth()));
  }

  /**
   * What removes verified messages from the source ({@code --delete-source-after-verify}), on
   * the source's connection; empty when the source is not on the wire.
   */
  public Optional<SourceExpunger> sourceExpunger() {
    return sourceWire == null ? Optional.empty() : Optional.of(new WireExpunger(sourceWire));
  }

  /** The readers and the writer for {@link Migrator} and the verification. */
  public Migrator.Io io() {
    return io;
  }

  @Override
  public void close() throws IOException {
    try {
      closeConnections();
    } finally {
      permit.close();
    }
  }

  private void closeConnections() throws IOException {
    try {
      if (sourceWire != null) {
        sourceWire.close();
      }
    } finally {
      if (targetWire != null) {
        targetWire.close();
      }
    }
  }
}
