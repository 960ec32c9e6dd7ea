package io.mailops.storage.imap;

import io.mailops.storage.MailStoreException;
import io.mailops.storage.model.AccountId;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FolderClosedException;
import jakarta.mail.MessagingException;
import jakarta.mail.StoreClosedException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/**
 * Turns Jakarta Mail's exceptions into one-line {@link MailStoreException}s that name the server
 * and say what to do.
 */
final class ImapFailures {

  private ImapFailures() {}

  /** A failure to connect or log in. */
  static MailStoreException connect(ImapLocation loc, MessagingException e) {
    String prefix = "cannot connect to " + loc + ": ";
    if (e instanceof AuthenticationFailedException) {
      return new MailStoreException("cannot log in to " + loc
          + ": authentication failed; check the password file", e);
    }
    if (has(e, UnknownHostException.class)) {
      return new MailStoreException(prefix + "unknown host '" + loc.host()
          + "'; check the host name in the store URI", e);
    }
    if (has(e, ConnectException.class)) {
      return new MailStoreException(prefix + "connection refused; check the host and port and"
          + " that the IMAP server is running", e);
    }
    if (has(e, NoRouteToHostException.class)) {
      return new MailStoreException(prefix + "no route to host; check the host and the network", e);
    }
    if (has(e, SocketTimeoutException.class)) {
      return new MailStoreException(prefix + "no answer within the timeout (20 s to connect, 60 s"
          + " to read); check the host, port and firewall", e);
    }
    if (has(e, SSLException.class)) {
      return new MailStoreException(prefix + "TLS failed (" + oneLine(rootCause(e).getMessage()) + ");"
          + " check imap:// versus imaps:// and the port, or add trust=all to the store URI for a"
          + " self-signed test server", e);
    }
    return new MailStoreException(prefix + oneLine(e.getMessage())
        + "; check the store URI and the server log", e);
  }

  /** A failure during an operation, e.g. {@code what} = "scan folder Sent of". */
  static MailStoreException operation(String what, ImapLocation loc, AccountId account,
      MessagingException e) {
    String subject = "cannot " + what + " " + (account != null ? account : loc.account()) + " on "
        + loc + ": ";
    if (e instanceof FolderClosedException || e instanceof StoreClosedException
        || rootCause(e) instanceof java.io.IOException) {
      return new MailStoreException(subject + "the connection was lost ("
          + oneLine(rootCause(e).getMessage()) + "); run again, the store reconnects", e);
    }
    return new MailStoreException(subject + oneLine(e.getMessage())
        + "; check the folder on the server", e);
  }

  private static boolean has(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }

  private static String oneLine(String s) {
    return s == null ? "no details" : s.replaceAll("\\s+", " ").strip();
  }
}
