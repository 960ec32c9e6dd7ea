package io.mailops.migrator.wire;

import io.mailops.migrator.MessageReader;
import io.mailops.migrator.MessageWriter;
import io.mailops.migrator.MigrationAccount;
import io.mailops.migrator.Migrator;
import io.mailops.storage.MailStore;
import io.mailops.storage.imap.ImapLocation;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
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
      close();
    } catch (IOException ignored) {
      // the connection that died cannot be closed cleanly
    }
    sourceWire = null;
    targetWire = null;
    WireIo fresh = open(account, source, target);
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
    WireConnection s = connect(account.source()).orElse(null);
    WireConnection t;
    try {
      t = connect(account.target()).orElse(null);
    } catch (IOException | RuntimeException e) {
      if (s != null) {
        s.close();
      }
      throw e;
    }
    boolean both = s != null && t != null;
    MessageReader sr = s != null ? new WireReader(s, both) : MessageReader.of(source);
    MessageReader tr = t != null ? new WireReader(t, both) : MessageReader.of(target);
    MessageWriter tw = t != null ? new WireWriter(t) : MessageWriter.of(target);
    WireIo w = new WireIo(s, t, new Migrator.Io(sr, tr, tw));
    w.account = account;
    w.source = source;
    w.target = target;
    return w;
  }

  private static Optional<WireConnection> connect(MigrationAccount.Endpoint e)
      throws IOException {
    if (e.isMaildir() || e.auth() == MigrationAccount.Auth.XOAUTH2) {
      return Optional.empty();
    }
    return Optional.of(WireConnection.open(ImapLocation.parse(URI.create(e.uri())),
        e.passwords()));
  }

  /** The readers and the writer for {@link Migrator} and the verification. */
  public Migrator.Io io() {
    return io;
  }

  @Override
  public void close() throws IOException {
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
