package io.mailops.storage.imap;

import io.mailops.storage.SpooledMessage;
import io.mailops.storage.MailStoreException;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.FolderPath;
import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * The Jakarta Mail session and logged-in IMAP store behind an {@link ImapStore}, with what is
 * kept between calls: the folder open read-only for scans and reads, the folder last appended
 * to, and the server's hierarchy separator. Reconnects when the connection was lost. Folder
 * names sent to the server are built here, from checked folder paths only. One thread at a time.
 */
final class ImapConnection {

  /**
   * How long after the last check the connection counts as alive without asking again: Angus
   * Mail's {@code IMAPStore.isConnected} sends a NOOP, one round trip per call otherwise. Angus
   * Mail's open folders use the same second before their own NOOP.
   */
  private static final long ALIVE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final ImapLocation location;
  private final PasswordSource passwords;
  private final Session session;
  private final IMAPStore store;
  private IMAPFolder readFolder;
  private IMAPFolder appendFolder;
  /** The server's hierarchy separator, asked for on first use; -1 until then. */
  private int separator = -1;
  /** Whether {@link #checkedAt} holds; false after a failure, so the next call checks. */
  private boolean checked;
  private long checkedAt;

  /** Connects and logs in. */
  ImapConnection(ImapLocation location, PasswordSource passwords) throws IOException {
    this(location, passwords, NoDelaySocketFactory.INSTANCE);
  }

  /** Connects and logs in, with every socket (store and folders) made by {@code sockets}. */
  ImapConnection(ImapLocation location, PasswordSource passwords, NoDelaySocketFactory sockets)
      throws IOException {
    this.location = Objects.requireNonNull(location, "location");
    this.passwords = Objects.requireNonNull(passwords, "passwords");
    this.session = Session.getInstance(properties(location, sockets));
    try {
      this.store = (IMAPStore) session.getStore(location.protocol());
    } catch (MessagingException e) {
      throw new MailStoreException("cannot use " + location + ": no Jakarta Mail provider for "
          + location.protocol() + "; put angus-mail on the class path", e);
    }
    connect();
  }

  /** The session properties, with the {@link NoDelaySocketFactory#INSTANCE} socket factory. */
  static Properties properties(ImapLocation loc) {
    return properties(loc, NoDelaySocketFactory.INSTANCE);
  }

  /**
   * The session properties. {@code sockets} goes in as an object under
   * {@code mail.imap[s].socketFactory}, which Angus Mail takes for plain and TLS connections alike
   * (TLS is layered over its sockets, see {@link NoDelaySocketFactory}); no fallback to a default
   * socket, so a failure to connect is reported as it happened. Bodies are still read in 256 KiB
   * pieces ({@code partialfetch} stays on): a message below that size takes one FETCH, and a large
   * one is never held whole in memory by Angus Mail before it is spooled.
   */
  static Properties properties(ImapLocation loc, NoDelaySocketFactory sockets) {
    String p = "mail." + loc.protocol() + ".";
    Properties props = new Properties();
    props.put(p + "socketFactory", Objects.requireNonNull(sockets, "sockets"));
    props.setProperty(p + "socketFactory.fallback", "false");
    props.setProperty(p + "connectiontimeout", "20000");
    props.setProperty(p + "timeout", "60000");
    props.setProperty(p + "peek", "true");
    props.setProperty(p + "fetchsize", String.valueOf(256 * 1024));
    props.setProperty(p + "appendbuffersize", String.valueOf(SpooledMessage.IN_MEMORY));
    if (!loc.secure()) {
      boolean required = Boolean.TRUE.equals(loc.starttls());
      props.setProperty(p + "starttls.enable", String.valueOf(!Boolean.FALSE.equals(loc.starttls())));
      props.setProperty(p + "starttls.required", String.valueOf(required));
    }
    if (loc.trustAll()) {
      props.setProperty(p + "ssl.trust", "*");
      props.setProperty(p + "ssl.checkserveridentity", "false");
    } else {
      props.setProperty(p + "ssl.checkserveridentity", "true");
    }
    return props;
  }

  Session session() {
    return session;
  }

  /**
   * The logged-in store, connected again if the connection was lost. Whether it was lost is asked
   * (NOOP) at most once a second, and always after a failure ({@link #suspect}).
   */
  IMAPStore store() throws IOException {
    ensureConnected();
    return store;
  }

  /** Forgets the folder last appended to, after an append failed. */
  void forgetAppendTarget() {
    appendFolder = null;
  }

  /** Makes the next {@link #store} call check the connection, after an operation failed. */
  void suspect() {
    checked = false;
  }

  /** {@link ImapFailures#operation} for this connection, which is checked on its next use. */
  MailStoreException failure(String what, AccountId account, MessagingException e) {
    suspect();
    return ImapFailures.operation(what, location, account, e);
  }

  private void connect() throws IOException {
    char[] password = passwords.password(location.user(), location.host());
    try {
      store.connect(location.host(), location.port(), location.user(), new String(password));
      checked = true;
      checkedAt = System.nanoTime();
    } catch (MessagingException e) {
      throw ImapFailures.connect(location, e);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private void ensureConnected() throws IOException {
    if (checked && System.nanoTime() - checkedAt < ALIVE_NANOS) {
      return;
    }
    checked = false;
    if (!store.isConnected()) {
      readFolder = null;
      appendFolder = null;
      separator = -1;
      connect();
    } else {
      checked = true;
      checkedAt = System.nanoTime();
    }
  }

  char separatorOf(Folder f) throws IOException {
    try {
      return f.getSeparator();
    } catch (MessagingException e) {
      return separator();
    }
  }

  private char separator() throws IOException {
    if (separator < 0) {
      try {
        separator = store().getDefaultFolder().getSeparator();
      } catch (MessagingException e) {
        throw failure("ask the folder separator for", null, e);
      }
    }
    return (char) separator;
  }

  /**
   * The (closed) folder to append to, kept between appends so that only the first append to a
   * folder asks the server whether it exists.
   */
  IMAPFolder appendTarget(FolderPath folder) throws IOException, MessagingException {
    String name = nameOf(folder);
    if (appendFolder == null || !appendFolder.getFullName().equals(name)) {
      IMAPFolder f = (IMAPFolder) store().getFolder(name);
      if (!f.exists()) {
        throw noFolder(folder);
      }
      appendFolder = f;
    }
    return appendFolder;
  }

  /** The folder open read-only for scans and reads; {@code fresh} re-opens it. */
  IMAPFolder openForRead(FolderPath folder, boolean fresh) throws IOException {
    String name = nameOf(folder);
    if (!fresh && readFolder != null && readFolder.isOpen() && readFolder.getFullName().equals(name)) {
      return readFolder;
    }
    closeReadFolderQuietly();
    try {
      IMAPFolder f = (IMAPFolder) store().getFolder(name);
      f.open(Folder.READ_ONLY);
      readFolder = f;
      return f;
    } catch (FolderNotFoundException e) {
      throw noFolder(folder);
    } catch (MessagingException e) {
      throw failure("open folder " + folder + " of", null, e);
    }
  }

  private void closeReadFolder() throws MessagingException {
    IMAPFolder f = readFolder;
    readFolder = null;
    if (f != null && f.isOpen()) {
      f.close(false);
    }
  }

  private void closeReadFolderQuietly() {
    try {
      closeReadFolder();
    } catch (MessagingException e) {
      // the connection of a read-only folder is dropped either way; the next open reconnects
    }
  }

  /** The server's name for a folder; the guard for names we send. */
  String nameOf(FolderPath folder) throws IOException {
    if (folder.isInbox()) {
      return "INBOX";
    }
    char sep = separator();
    for (String s : folder.segments()) {
      if (sep != '\0' && s.indexOf(sep) >= 0) {
        throw new MailStoreException("folder " + folder + " cannot be stored on " + location
            + ": segment '" + s + "' holds the server's hierarchy separator '" + sep
            + "'; rename the folder");
      }
    }
    return sep == '\0' ? folder.toString() : String.join(String.valueOf(sep), folder.segments());
  }

  MailStoreException noFolder(FolderPath folder) {
    return new MailStoreException("no folder " + folder + " in account " + location.account()
        + " on " + location + "; create the folder first");
  }

  void close() throws MailStoreException {
    checked = false;
    try {
      closeReadFolder();
      store.close();
    } catch (MessagingException e) {
      throw new MailStoreException("cannot close the connection to " + location + ": "
          + e.getMessage(), e);
    }
  }
}
