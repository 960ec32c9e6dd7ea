package io.mailops.migrator;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStores;
import io.mailops.storage.PasswordSource;
import io.mailops.storage.model.AccountId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A source and a target account of a migration test on a GreenMail IMAP server, with one
 * password, and the stores the test opened on them (closed by {@link #close()}). Account names
 * are {@code PREFIXsrcN} and {@code PREFIXdstN}, new for every test.
 */
final class GreenMailAccounts implements AutoCloseable {

  static final String SECRET = "s3cret";
  static final PasswordSource PASSWORD = (user, host) -> SECRET.toCharArray();
  private static final AtomicInteger USERS = new AtomicInteger();

  private final GreenMailExtension server;
  private final int n;
  private final AccountId src;
  private final AccountId dst;
  private final List<AutoCloseable> open = new ArrayList<>();

  GreenMailAccounts(GreenMailExtension server, String prefix) {
    this.server = server;
    this.n = USERS.incrementAndGet();
    this.src = AccountId.of(prefix + "src" + n + "@example.com");
    this.dst = AccountId.of(prefix + "dst" + n + "@example.com");
  }

  /** The IMAP server for a test class's {@code @RegisterExtension} field: one per class. */
  static GreenMailExtension server() {
    return new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort()).withPerMethodLifecycle(false);
  }

  int n() {
    return n;
  }

  AccountId src() {
    return src;
  }

  AccountId dst() {
    return dst;
  }

  /** The plain IMAP URI of {@code account} on the server (the account is created first). */
  String uri(AccountId account) {
    return uri(account, server.getImap().getPort());
  }

  /** The same at {@code port}, e.g. a proxy in front of the server. */
  String uri(AccountId account, int port) {
    server.setUser(account.toString(), account.toString(), SECRET);
    return "imap://" + account.toString().replace("@", "%40") + "@127.0.0.1:" + port + "?starttls=false";
  }

  /** A store on {@code account}, closed with this. */
  MailStore store(AccountId account) throws IOException {
    return add(MailStores.open(uri(account), PASSWORD));
  }

  /** Closes {@code c} with this. */
  <T extends AutoCloseable> T add(T c) {
    open.add(c);
    return c;
  }

  /** The account pair as the migration gets it, with LOGIN on both sides. */
  MigrationAccount account(String sourceUri, String targetUri) {
    return new MigrationAccount(0,
        new MigrationAccount.Endpoint(sourceUri, src, PASSWORD, MigrationAccount.Auth.LOGIN),
        new MigrationAccount.Endpoint(targetUri, dst, PASSWORD, MigrationAccount.Auth.LOGIN));
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }
}
