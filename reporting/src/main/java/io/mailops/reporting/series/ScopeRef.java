package io.mailops.reporting.series;

import io.mailops.reporting.Parameter;
import java.util.Locale;

/**
 * A scope with its name: the server, {@code domain:example.com} or
 * {@code account:alice@example.com}, as the command line writes it.
 *
 * @param name the domain or account in lower case; {@code ""} for the server
 */
public record ScopeRef(Parameter.Scope kind, String name) {

  /** The whole server. */
  public static final ScopeRef SERVER = new ScopeRef(Parameter.Scope.SERVER, "");

  public ScopeRef {
    name = name == null ? "" : name.toLowerCase(Locale.ROOT);
    if ((kind == Parameter.Scope.SERVER) != name.isEmpty()) {
      throw new IllegalArgumentException("scope " + kind + " '" + name + "': the server has no"
          + " name, a domain or account needs one");
    }
  }

  /** Parses {@code server}, {@code domain:D} or {@code account:A}. */
  public static ScopeRef parse(String s) {
    String t = s.trim();
    if (t.equalsIgnoreCase("server")) {
      return SERVER;
    }
    int colon = t.indexOf(':');
    String kind = colon < 0 ? "" : t.substring(0, colon).toLowerCase(Locale.ROOT);
    String name = colon < 0 ? "" : t.substring(colon + 1);
    if (name.isBlank() || !(kind.equals("domain") || kind.equals("account"))) {
      throw new IllegalArgumentException("scope '" + s + "': use server, domain:DOMAIN or"
          + " account:USER@DOMAIN");
    }
    return new ScopeRef(kind.equals("domain") ? Parameter.Scope.DOMAIN : Parameter.Scope.ACCOUNT,
        name);
  }

  @Override
  public String toString() {
    return switch (kind) {
      case SERVER -> "server";
      case DOMAIN -> "domain:" + name;
      case ACCOUNT -> "account:" + name;
    };
  }
}
