package io.mailops.storage;

import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link MailStore} that passes every call to another one; tests override what they make fail
 * (a message expunged meanwhile, a refused append, a disk error).
 */
public abstract class ForwardingMailStore implements MailStore {

  /** The store calls go to. */
  protected final MailStore delegate;

  protected ForwardingMailStore(MailStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public List<AccountId> accounts() throws IOException {
    return delegate.accounts();
  }

  @Override
  public List<String> domains() throws IOException {
    return delegate.domains();
  }

  @Override
  public List<FolderPath> folders(AccountId account) throws IOException {
    return delegate.folders(account);
  }

  @Override
  public List<Skip> folderProblems(AccountId account) throws IOException {
    return delegate.folderProblems(account);
  }

  @Override
  public FolderScan scan(AccountId account, FolderPath folder) throws IOException {
    return delegate.scan(account, folder);
  }

  @Override
  public InputStream open(AccountId account, MessageRef message) throws IOException {
    return delegate.open(account, message);
  }

  @Override
  public MessageRef append(AccountId account, FolderPath folder, InputStream content, Flags flags,
      Instant internalDate) throws IOException {
    return delegate.append(account, folder, content, flags, internalDate);
  }

  @Override
  public void createFolder(AccountId account, FolderPath folder) throws IOException {
    delegate.createFolder(account, folder);
  }

  @Override
  public Optional<Set<FolderPath>> subscriptions(AccountId account) throws IOException {
    return delegate.subscriptions(account);
  }

  @Override
  public void subscribe(AccountId account, FolderPath folder) throws IOException {
    delegate.subscribe(account, folder);
  }

  @Override
  public Map<FolderPath, String> specialUse(AccountId account) throws IOException {
    return delegate.specialUse(account);
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }
}
