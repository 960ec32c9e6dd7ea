package io.mailops.jobs.cli;

import io.mailops.storage.model.AccountId;
import java.util.function.Predicate;
import picocli.CommandLine.Option;

/** {@code --domain D | --account A}: which accounts of a store a command works on. */
public final class AccountScope implements Predicate<AccountId> {

  @Option(names = "--domain", paramLabel = "DOMAIN", description = "Only accounts of this domain.")
  String domain;

  @Option(names = "--account", paramLabel = "USER@DOMAIN", description = "Only this account.")
  AccountId account;

  @Override
  public boolean test(AccountId a) {
    return (domain == null || a.domain().equalsIgnoreCase(domain)) && (account == null || a.equals(account));
  }

  /** True if the scope was narrowed by a flag. */
  boolean narrowed() {
    return domain != null || account != null;
  }

  /** The one-line error when a narrowed scope matches no account of {@code uri}. */
  String noMatch(String uri) {
    return "mailops: no account in " + uri + " matches " + (account != null ? account : "domain " + domain)
        + "; list them with 'mailops storage usage'";
  }
}
