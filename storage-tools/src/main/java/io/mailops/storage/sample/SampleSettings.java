package io.mailops.storage.sample;

/**
 * What {@link SampleGenerator} produces: {@code domains} domains (1..1000) with
 * {@code accountsPerDomain} accounts each (1..10000) and {@code messagesPerAccount} messages in
 * every account (0..1,000,000), all derived from {@code seed}. Equal settings give an equal store.
 */
public record SampleSettings(int domains, int accountsPerDomain, int messagesPerAccount, long seed) {

  public static final int MAX_DOMAINS = 1000;
  public static final int MAX_ACCOUNTS_PER_DOMAIN = 10_000;
  public static final int MAX_MESSAGES_PER_ACCOUNT = 1_000_000;

  public SampleSettings {
    check("domains", domains, 1, MAX_DOMAINS);
    check("accounts per domain", accountsPerDomain, 1, MAX_ACCOUNTS_PER_DOMAIN);
    check("messages per account", messagesPerAccount, 0, MAX_MESSAGES_PER_ACCOUNT);
  }

  /** 3 domains, 4 accounts per domain, 60 messages per account, seed 42. */
  public static SampleSettings defaults() {
    return new SampleSettings(3, 4, 60, 42L);
  }

  /** The number of accounts in the store, {@code domains * accountsPerDomain}. */
  public int accounts() {
    return domains * accountsPerDomain;
  }

  /** The number of messages in the store. */
  public long messages() {
    return (long) accounts() * messagesPerAccount;
  }

  private static void check(String what, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException("invalid sample settings: " + what + " must be " + min
          + ".." + max + ", got " + value);
    }
  }
}
