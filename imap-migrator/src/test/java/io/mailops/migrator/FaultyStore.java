package io.mailops.migrator;

import io.mailops.storage.ForwardingMailStore;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A target store whose messages cannot be read if {@link #unreadable}, that refuses messages
 * containing {@link #refuse} and, after {@link #crashAfter}
 * successful appends, appends once more and then throws (a crash between the append and the
 * state record).
 */
final class FaultyStore extends ForwardingMailStore {

  static final class Crash extends RuntimeException {
    Crash() {
      super("simulated crash after an append");
    }
  }

  String refuse;
  boolean unreadable;
  int crashAfter = -1;
  int appends;

  FaultyStore(MailStore delegate) {
    super(delegate);
  }

  @Override
  public InputStream open(AccountId account, MessageRef message) throws IOException {
    if (unreadable) {
      throw new MailStoreException("cannot read message " + message.key() + ": disk error");
    }
    return delegate.open(account, message);
  }

  @Override
  public MessageRef append(AccountId account, FolderPath folder, InputStream content, Flags flags,
      Instant internalDate) throws IOException {
    byte[] bytes = content.readAllBytes();
    if (refuse != null && new String(bytes, StandardCharsets.UTF_8).contains(refuse)) {
      throw new MailStoreException("message too large for folder " + folder + " of " + account);
    }
    MessageRef ref = delegate.append(account, folder, new ByteArrayInputStream(bytes), flags,
        internalDate);
    appends++;
    if (appends == crashAfter + 1) {
      throw new Crash();
    }
    return ref;
  }
}
