package io.mailops.backup;

import io.mailops.storage.crypto.Argon2id;
import io.mailops.storage.ForwardingMailStore;
import io.mailops.storage.MailStore;
import io.mailops.storage.MessageGoneException;
import io.mailops.storage.maildir.MaildirLayout;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/** Stores and targets the backup tests share: a Maildir store, a content snapshot, wrappers. */
public final class BackupTestStores {

  private BackupTestStores() {}

  public static MaildirStore maildir(Path root) {
    return new MaildirStore(root, MaildirLayout.standard(), MaildirStore.Settings.defaults());
  }

  /**
   * Every message of the store as "account/folder sha256" → "flags | keywords | internal date",
   * so two stores with the same content give equal maps whatever the file names.
   */
  public static Map<String, String> snapshot(MailStore store) throws IOException {
    Map<String, String> out = new TreeMap<>();
    for (AccountId a : store.accounts()) {
      for (FolderPath f : store.folders(a)) {
        for (MessageRef m : store.scan(a, f).messages()) {
          MessageDigest sha = TarFrames.sha256();
          try (InputStream in = new DigestInputStream(store.open(a, m), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
          }
          out.put(a + "/" + f + " " + HexFormat.of().formatHex(sha.digest()),
              m.flags().system() + " | " + m.flags().keywords() + " | " + m.internalDate());
        }
      }
    }
    return out;
  }

  /** A store whose {@code open} reports one message as expunged. */
  static MailStore vanishing(MailStore delegate, String goneBase) {
    return new ForwardingMailStore(delegate) {
      @Override
      public InputStream open(AccountId account, MessageRef message) throws IOException {
        if (message.key().value().equals(goneBase)) {
          throw new MessageGoneException("message " + goneBase + " was expunged");
        }
        return delegate.open(account, message);
      }
    };
  }

  /** A target that counts the bytes read from tar files. */
  static final class CountingTarget extends ForwardingBackupTarget {
    final AtomicLong tarBytesRead = new AtomicLong();

    CountingTarget(BackupTarget delegate) {
      super(delegate);
    }

    @Override
    public InputStream open(String name, long offset, long length) throws IOException {
      InputStream in = delegate.open(name, offset, length);
      if (!name.endsWith(BackupSets.TAR)) {
        return in;
      }
      return new FilterInputStream(in) {
        @Override
        public int read() throws IOException {
          int b = super.read();
          if (b >= 0) {
            tarBytesRead.incrementAndGet();
          }
          return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = super.read(b, off, len);
          if (n > 0) {
            tarBytesRead.addAndGet(n);
          }
          return n;
        }
      };
    }
  }

  /**
   * A full backup of {@code store} to {@code target}, restored into an empty root under
   * {@code tmp}: nothing skipped, every message back with the same bytes, flags, keywords and
   * dates, a clean deep verify, and only that set on the target.
   */
  public static BackupResult assertFullRoundTrip(MailStore store, BackupTarget target, Path tmp)
      throws IOException {
    return assertFullRoundTrip(store, target, tmp, null);
  }

  /** Argon2id parameters that keep tests fast (64 KiB, 1 pass); never for real sets. */
  public static final Argon2id.Params FAST_KDF = new Argon2id.Params(64, 1, 1);

  /**
   * {@link #assertFullRoundTrip(MailStore, BackupTarget, Path)} of a set encrypted with
   * {@code password} ({@code null}: plain; the key uses {@link #FAST_KDF}).
   */
  public static BackupResult assertFullRoundTrip(MailStore store, BackupTarget target, Path tmp,
      char[] password) throws IOException {
    Path work = java.nio.file.Files.createDirectories(tmp.resolve("work"));
    java.time.Clock clock = java.time.Clock.fixed(java.time.Instant.parse("2026-11-22T04:00:00Z"),
        java.time.ZoneOffset.UTC);
    BackupResult full = new Backup(store, target, clock, work).password(password).kdf(FAST_KDF)
        .run(Scope.ALL, SetId.Kind.FULL, null, Backup.Listener.NONE);
    MaildirStore restored = maildir(java.nio.file.Files.createDirectories(tmp.resolve("restored")));
    RestoreResult r = new Restore(target, restored, work).password(password)
        .run("latest", Scope.ALL);
    org.assertj.core.api.Assertions.assertThat(full.skipped()).isEmpty();
    org.assertj.core.api.Assertions.assertThat(r.restored()).isEqualTo(full.messages()).isPositive();
    org.assertj.core.api.Assertions.assertThat(snapshot(restored)).isEqualTo(snapshot(store));
    org.assertj.core.api.Assertions.assertThat(new Verify(target).password(password)
        .run("latest", true).problems()).isEmpty();
    org.assertj.core.api.Assertions.assertThat(target.list("")).containsExactly(full.set().toString());
    return full;
  }
}
