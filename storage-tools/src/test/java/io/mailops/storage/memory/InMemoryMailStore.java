package io.mailops.storage.memory;

import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.MessageGoneException;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageKey;
import io.mailops.storage.model.MessageRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * An in-memory {@link MailStore} for tests of code that uses stores: it keeps bytes, flags,
 * keywords and internal dates exactly, gives keys {@code m000001}, {@code m000002}, … (as UIDs
 * 1, 2, …) and passes {@code MailStoreContract}. Accounts are added with {@link #addAccount};
 * {@link #expunge} removes a message so callers can test {@link MessageGoneException}. Not
 * thread-safe.
 */
public final class InMemoryMailStore implements MailStore {

  private record Stored(MessageRef ref, byte[] bytes) {}

  private final TreeMap<AccountId, TreeMap<FolderPath, TreeMap<MessageKey, Stored>>> accounts =
      new TreeMap<>();
  private long nextUid = 1;

  /** A store holding {@code accounts}, each with an empty INBOX. */
  public static InMemoryMailStore of(AccountId... accounts) {
    InMemoryMailStore s = new InMemoryMailStore();
    for (AccountId a : accounts) {
      s.addAccount(a);
    }
    return s;
  }

  /** Adds an account with an empty INBOX; no-op if it exists. */
  public InMemoryMailStore addAccount(AccountId account) {
    accounts.computeIfAbsent(account, a -> new TreeMap<>())
        .computeIfAbsent(FolderPath.INBOX, f -> new TreeMap<>());
    return this;
  }

  /** Removes a message as if another client expunged it; true if it was there. */
  public boolean expunge(AccountId account, MessageRef message) {
    TreeMap<FolderPath, TreeMap<MessageKey, Stored>> folders = accounts.get(account);
    TreeMap<MessageKey, Stored> messages = folders == null ? null : folders.get(message.folder());
    return messages != null && messages.remove(message.key()) != null;
  }

  @Override
  public List<AccountId> accounts() {
    return List.copyOf(accounts.keySet());
  }

  @Override
  public List<FolderPath> folders(AccountId account) throws IOException {
    return List.copyOf(folderMap(account).keySet());
  }

  @Override
  public FolderScan scan(AccountId account, FolderPath folder) throws IOException {
    List<MessageRef> refs = new ArrayList<>();
    for (Stored s : messages(account, folder).values()) {
      refs.add(s.ref());
    }
    return new FolderScan(refs, List.of());
  }

  @Override
  public InputStream open(AccountId account, MessageRef message) throws IOException {
    Stored s = messages(account, message.folder()).get(message.key());
    if (s == null) {
      throw new MessageGoneException("message " + message.key() + " in folder " + message.folder()
          + " of account " + account + " is gone; scan the folder again");
    }
    return new ByteArrayInputStream(s.bytes());
  }

  @Override
  public MessageRef append(AccountId account, FolderPath folder, InputStream content, Flags flags,
      Instant internalDate) throws IOException {
    TreeMap<MessageKey, Stored> messages = messages(account, folder);
    byte[] bytes = content.readAllBytes();
    long uid = nextUid++;
    MessageKey key = MessageKey.of(String.format("m%06d", uid));
    MessageRef ref = new MessageRef(folder, key, bytes.length, Objects.requireNonNull(flags, "flags"),
        Objects.requireNonNull(internalDate, "internalDate"), OptionalLong.of(uid), Optional.empty(),
        key.value());
    messages.put(key, new Stored(ref, bytes));
    return ref;
  }

  @Override
  public void createFolder(AccountId account, FolderPath folder) throws IOException {
    TreeMap<FolderPath, TreeMap<MessageKey, Stored>> folders = folderMap(account);
    List<String> segments = folder.segments();
    for (int i = 1; i <= segments.size(); i++) {
      folders.computeIfAbsent(new FolderPath(segments.subList(0, i)), f -> new TreeMap<>());
    }
  }

  @Override
  public void close() {
    // nothing to release
  }

  private TreeMap<FolderPath, TreeMap<MessageKey, Stored>> folderMap(AccountId account)
      throws MailStoreException {
    TreeMap<FolderPath, TreeMap<MessageKey, Stored>> folders = accounts.get(account);
    if (folders == null) {
      throw new MailStoreException("no account " + account + " in the in-memory store; add it with addAccount");
    }
    return folders;
  }

  private TreeMap<MessageKey, Stored> messages(AccountId account, FolderPath folder)
      throws MailStoreException {
    TreeMap<MessageKey, Stored> messages = folderMap(account).get(folder);
    if (messages == null) {
      throw new MailStoreException("no folder " + folder + " in account " + account
          + " of the in-memory store; create the folder first");
    }
    return messages;
  }
}
