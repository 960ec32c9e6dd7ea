package io.mailops.storage.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.storage.MailStore;
import io.mailops.storage.MailStoreContract;
import io.mailops.storage.MessageGoneException;
import io.mailops.storage.model.AccountId;
import io.mailops.storage.model.Flags;
import io.mailops.storage.model.FolderPath;
import io.mailops.storage.model.MessageRef;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InMemoryMailStoreTest implements MailStoreContract {

  private static final AccountId ALICE = AccountId.of("alice@example.com");

  private InMemoryMailStore store;

  @BeforeEach
  void setUp() {
    store = InMemoryMailStore.of(ALICE, AccountId.of("bob@example.org"));
  }

  @Override
  public MailStore store() {
    return store;
  }

  @Override
  public AccountId account() {
    return ALICE;
  }

  @Test
  void openShouldThrowMessageGoneAfterAnExpunge() throws IOException {
    MessageRef ref = store.append(ALICE, FolderPath.INBOX,
        new ByteArrayInputStream(MailStoreContract.sampleMessage("gone")), Flags.NONE, DATE);

    assertThat(store.expunge(ALICE, ref)).isTrue();

    assertThatThrownBy(() -> store.open(ALICE, ref)).isInstanceOf(MessageGoneException.class)
        .hasMessageContaining(ref.key().value());
  }

  @Test
  void accountsShouldBeSortedByDomainThenUser() {
    assertThat(store.accounts()).containsExactly(ALICE, AccountId.of("bob@example.org"));
  }
}
