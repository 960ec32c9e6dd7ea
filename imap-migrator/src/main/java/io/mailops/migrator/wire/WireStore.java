package io.mailops.migrator.wire;

import io.mailops.migrator.MessageReader;
import io.mailops.migrator.MessageWriter;
import io.mailops.migrator.MigrationAccount;
import io.mailops.storage.FolderScan;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.MailStores;
import io.mailops.storage.MessageGoneException;
import io.mailops.storage.SpooledMessage;
import io.mailops.storage.imap.ImapLocation;
import io.mailops.storage.imap.SpecialUse;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageKey;
import io.mailops.storage.model.MessageRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxDecoder;

/**
 * A {@link MailStore} of one IMAP account on its own {@link WireConnection}, for endpoints the
 * foundation's {@code ImapStore} cannot log in to (XOAUTH2): folders from {@code LIST "" *}
 * (those marked {@code \Noselect} or {@code \NonExistent} left out), {@code CREATE}, and the
 * wire reader's scan; {@link #open} and {@link #append} go one message at a time (the migration
 * moves messages through {@link WireIo}). Not thread-safe; {@link #close} logs out.
 */
public final class WireStore implements MailStore {

  private final WireConnection connection;
  private final AccountId account;
  private final MessageReader reader;
  /** The special-use attributes of the latest {@link #folders} listing, or null before it. */
  private Map<FolderPath, String> specialUse;

  private WireStore(WireConnection connection, AccountId account) {
    this.connection = connection;
    this.account = account;
    this.reader = new WireReader(connection, false);
  }

  /**
   * The store of one side of a migration: a Maildir or an IMAP account the foundation's stores
   * open ({@code MailStores.open}), or, for an XOAUTH2 login, which those cannot do, a
   * {@link WireStore}. The caller closes it.
   */
  public static MailStore of(MigrationAccount.Endpoint endpoint) throws IOException {
    if (!endpoint.isMaildir() && endpoint.auth() == MigrationAccount.Auth.XOAUTH2) {
      return open(endpoint);
    }
    return MailStores.open(endpoint.uri(), endpoint.passwords());
  }

  /** Logs in to {@code endpoint} (IMAP) with its auth. */
  public static WireStore open(MigrationAccount.Endpoint endpoint) throws IOException {
    if (endpoint.isMaildir()) {
      throw new IllegalArgumentException("not an IMAP endpoint: " + endpoint.uri());
    }
    return new WireStore(WireConnection.open(ImapLocation.parse(URI.create(endpoint.uri())),
        endpoint.passwords(), endpoint.auth()), endpoint.account());
  }

  private void check(AccountId a) throws MailStoreException {
    if (!account.equals(a)) {
      throw new MailStoreException("account " + a + " is not the account " + account
          + " logged in to " + connection.location());
    }
  }

  @Override
  public List<AccountId> accounts() {
    return List.of(account);
  }

  /** {@code LIST "" "*"}; the special-use attributes it gives are kept for {@link #specialUse}. */
  @Override
  public List<FolderPath> folders(AccountId a) throws IOException {
    check(a);
    List<String> lines = connection.runText("LIST \"\" \"*\"", "list the folders of " + a);
    Listing listing = listing(lines);
    specialUse = listing.specialUse();
    return listing.folders();
  }

  @Override
  public Map<FolderPath, String> specialUse(AccountId a) throws IOException {
    if (specialUse == null) {
      folders(a);
    }
    return specialUse;
  }

  /**
   * The folders named by the responses {@code kind} ({@code "LIST "} or {@code "LSUB "}) among
   * {@code lines}; those marked {@code \Noselect} or {@code \NonExistent} left out (an LSUB
   * {@code \Noselect} is a parent that is not subscribed itself, RFC 3501 7.2.3).
   */
  static List<FolderPath> folders(List<String> lines, String kind) {
    TreeSet<FolderPath> out = new TreeSet<>();
    listed(lines, kind, (path, attrs) -> out.add(path));
    return new ArrayList<>(out);
  }

  /**
   * What the {@code LIST} responses among {@code lines} say, read once: the folders they name
   * (those marked {@code \Noselect} or {@code \NonExistent} left out, names decoded from
   * modified UTF-7 and split at the hierarchy separator, sorted) and the special-use attribute
   * ({@link SpecialUse}) of each folder they give one.
   */
  record Listing(List<FolderPath> folders, Map<FolderPath, String> specialUse) {}

  /** The {@link Listing} of the {@code LIST} responses among {@code lines}. */
  static Listing listing(List<String> lines) {
    TreeSet<FolderPath> folders = new TreeSet<>();
    Map<FolderPath, String> uses = new HashMap<>();
    listed(lines, "LIST ", (path, attrs) -> {
      folders.add(path);
      String use = SpecialUse.ofList(attrs);
      if (use != null) {
        uses.put(path, use);
      }
    });
    return new Listing(new ArrayList<>(folders), Map.copyOf(uses));
  }

  /** Each selectable folder of the responses {@code kind} among {@code lines}, with its attributes. */
  private static void listed(List<String> lines, String kind, BiConsumer<FolderPath, String> each) {
    for (String l : lines) {
      if (!l.regionMatches(true, 0, kind, 0, kind.length())) {
        continue;
      }
      int close = l.indexOf(')');
      String attrs = l.substring(l.indexOf('(') + 1, close);
      String lower = attrs.toLowerCase(Locale.ROOT);
      if (lower.contains("\\noselect") || lower.contains("\\nonexistent")) {
        continue;
      }
      String rest = l.substring(close + 1).trim();
      String sep;
      if (rest.regionMatches(true, 0, "NIL", 0, 3)) {
        sep = null;
        rest = rest.substring(3).trim();
      } else {
        int end = rest.indexOf('"', 1);
        sep = rest.substring(1, end).replace("\\", "");
        rest = rest.substring(end + 1).trim();
      }
      String name = rest.startsWith("\"")
          ? rest.substring(1, rest.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\")
          : rest;
      name = BASE64MailboxDecoder.decode(name);
      if (name.equalsIgnoreCase("INBOX")) {
        each.accept(FolderPath.INBOX, attrs);
      } else {
        each.accept(FolderPath.separated(name, sep), attrs);
      }
    }
  }

  @Override
  public FolderScan scan(AccountId a, FolderPath folder) throws IOException {
    check(a);
    return reader.scan(a, folder);
  }

  @Override
  public InputStream open(AccountId a, MessageRef message) throws IOException {
    check(a);
    byte[][] body = new byte[1][];
    String[] problem = new String[1];
    reader.read(a, message.folder(), List.of(message), new MessageReader.Sink() {
      @Override
      public void message(MessageRef ref, SpooledMessage content) throws IOException {
        try (InputStream in = content.open()) {
          body[0] = in.readAllBytes();
        }
      }

      @Override
      public void gone(MessageRef ref) {
        problem[0] = "it is gone";
      }

      @Override
      public void failed(MessageRef ref, String reason) {
        problem[0] = reason;
      }
    });
    if (body[0] == null) {
      throw new MessageGoneException("message " + message.key() + " of folder "
          + message.folder() + " of " + a + " on " + connection.location() + ": " + problem[0]);
    }
    return new ByteArrayInputStream(body[0]);
  }

  @Override
  public MessageRef append(AccountId a, FolderPath folder, InputStream content, Flags flags,
      Instant internalDate) throws IOException {
    check(a);
    String[] refused = new String[1];
    try (SpooledMessage m = SpooledMessage.read(content)) {
      WireWriter w = new WireWriter(connection);
      w.append(a, folder, m, flags, internalDate, new MessageWriter.Outcome() {
        @Override
        public void stored() {}

        @Override
        public void refused(String reason) {
          refused[0] = reason;
        }
      });
      w.flush();
      if (refused[0] != null) {
        throw new MailStoreException("cannot append to folder " + folder + " of " + a + ": "
            + refused[0]);
      }
      return new MessageRef(folder, MessageKey.of("appended"), m.size(),
          flags, internalDate, OptionalLong.empty(), Optional.empty(), "appended");
    }
  }

  @Override
  public void createFolder(AccountId a, FolderPath folder) throws IOException {
    check(a);
    if (folder.isInbox() || folders(a).contains(folder)) {
      return;
    }
    connection.runText("CREATE " + connection.mailbox(folder), "create folder " + folder
        + " of " + a);
  }

  /** {@code LSUB "" "*"}. */
  @Override
  public Optional<Set<FolderPath>> subscriptions(AccountId a) throws IOException {
    check(a);
    return Optional.of(new TreeSet<>(folders(connection.runText("LSUB \"\" \"*\"",
        "list the subscribed folders of " + a), "LSUB ")));
  }

  /** {@code SUBSCRIBE}. */
  @Override
  public void subscribe(AccountId a, FolderPath folder) throws IOException {
    check(a);
    connection.runText("SUBSCRIBE " + connection.mailbox(folder), "subscribe folder " + folder
        + " of " + a);
  }

  @Override
  public void close() throws IOException {
    connection.close();
  }

  @Override
  public String toString() {
    return Objects.toString(connection.location());
  }
}
