package io.mailops.storage.sample;

import io.mailops.storage.model.AccountId;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Who lives in a sample store, computed from indices alone (nothing is materialised, so 10
 * million accounts cost nothing): domains example.com, example.org, example.net, then
 * sample4.test, sample5.test, ...; users alice, bob, ... walter, then alice2, bob2, ...; each
 * with a fixed display name, some of them non-ASCII or with RFC 5322 specials. Plus a few
 * outside correspondents on reserved {@code .example} domains. Immutable.
 */
final class Population {

  static final List<String> FIRST_DOMAINS = List.of("example.com", "example.org", "example.net");

  static final List<String> USERS = List.of("alice", "bob", "carol", "dave", "erin", "frank",
      "grace", "heidi", "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil",
      "trent", "victor", "walter");

  /** Display names by user, same order as {@link #USERS}. */
  private static final List<String> NAMES = List.of("Alice Anderson", "Bob Brown", "Carol Müller",
      "Dave O'Brien", "Erin Østergaard", "Frank Weiß", "Grace Nakamura", "Heidi Jäger",
      "Иван Петров", "Judy Lefèvre", "Mallory (Security)", "Niaj Novák", "Olivia García",
      "Peggy Smith", "Rupert Rossi", "Sybil Taylor, Dr.", "Trent Jones", "Victor 山田",
      "Walter Kowalski");

  /** People outside the store who write to its accounts. */
  private static final List<Person> OUTSIDERS = List.of(
      new Person("Newsletter Shop", "newsletter@shop.example"),
      new Person("Büro-Service GmbH", "info@buero-service.example"),
      new Person("GitHub", "noreply@github.example"),
      new Person("Deutsche Bahn", "buchung@bahn.example"),
      new Person("Café Central", "reservierung@cafe-central.example"),
      new Person("Jürgen Weiß", "j.weiss@kanzlei.example"),
      new Person("Zoë Martin", "zoe@studio.example"),
      new Person("田中 花子", "hanako@tokyo.example"),
      new Person("IT Helpdesk", "helpdesk@corp.example"),
      new Person("François Dupont", "f.dupont@atelier.example"),
      new Person("Martin, Sam (Accounts)", "sam.martin@partner.example"));

  /** A mail address with its display name (Unicode; encoded when written). */
  record Person(String name, String address) {
    Person {
      if (name == null || name.isEmpty() || address == null || address.indexOf('@') <= 0) {
        throw new IllegalArgumentException("a person needs a name and an address, got '" + name
            + "' <" + address + ">");
      }
    }

    /** The domain part of the address. */
    String domain() {
      return address.substring(address.indexOf('@') + 1);
    }
  }

  private final int domains;
  private final int accountsPerDomain;

  Population(SampleSettings settings) {
    this.domains = settings.domains();
    this.accountsPerDomain = settings.accountsPerDomain();
  }

  /** The name of domain {@code index} (0-based). */
  static String domain(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("domain index must be >= 0, got " + index);
    }
    return index < FIRST_DOMAINS.size() ? FIRST_DOMAINS.get(index) : "sample" + (index + 1) + ".test";
  }

  /** The local part of user {@code index} (0-based) of a domain. */
  static String user(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("user index must be >= 0, got " + index);
    }
    int round = index / USERS.size();
    return USERS.get(index % USERS.size()) + (round == 0 ? "" : String.valueOf(round + 1));
  }

  /** The display name of user {@code index}. */
  static String displayName(int index) {
    int round = index / USERS.size();
    return NAMES.get(index % USERS.size()) + (round == 0 ? "" : " " + (round + 1));
  }

  int domains() {
    return domains;
  }

  int accountsPerDomain() {
    return accountsPerDomain;
  }

  AccountId account(int domainIndex, int userIndex) {
    return new AccountId(user(userIndex), domain(domainIndex));
  }

  /** The account {@code a} of domain {@code d} as a correspondent. */
  Person person(int domainIndex, int userIndex) {
    return new Person(displayName(userIndex), user(userIndex) + "@" + domain(domainIndex));
  }

  /**
   * Someone writing to or from {@code self} (domain {@code d}): mostly a colleague of the same
   * domain, sometimes an account of another domain, sometimes an outsider; never {@code self}
   * unless the store has only one account.
   */
  Person correspondent(SplittableRandom rng, int d, int self) {
    double r = rng.nextDouble();
    if (r < 0.25) {
      return OUTSIDERS.get(rng.nextInt(OUTSIDERS.size()));
    }
    int domain = r < 0.75 || domains == 1 ? d : rng.nextInt(domains);
    int user = rng.nextInt(accountsPerDomain);
    if (domain == d && user == self && accountsPerDomain > 1) {
      user = (user + 1) % accountsPerDomain;
    }
    return person(domain, user);
  }
}
