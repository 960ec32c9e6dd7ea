package io.mailops.storage.maildir;

import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreContract;
import io.mailops.storage.model.AccountId;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** MaildirStore against the behaviour every store must have. */
class MaildirStoreContractTest implements MailStoreContract {

  static final AccountId ALICE = AccountId.of("alice@example.com");

  @TempDir
  Path root;

  MaildirStore store;

  @BeforeEach
  void setUp() throws Exception {
    store = new MaildirStore(root, MaildirLayout.standard(), MaildirStore.Settings.defaults());
    store.createFolder(ALICE, io.mailops.storage.model.FolderPath.INBOX);
    store.createFolder(AccountId.of("bob@example.org"), io.mailops.storage.model.FolderPath.INBOX);
  }

  @Override
  public MailStore store() {
    return store;
  }

  @Override
  public AccountId account() {
    return ALICE;
  }
}
