package io.mailops.jobs.cli;

import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.snmp.SnmpSettings;
import io.mailops.snmp.SnmpUser;
import io.mailops.snmp.TrapSettings;
import io.mailops.snmp.TrapTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@code mailops.snmp.*} into {@link SnmpSettings}, with the {@code snmp serve} flags on top.
 * Secrets come from files ({@code auth-password-file}, {@code priv-password-file}); their first line
 * is the passphrase. A bad value is an {@link IllegalArgumentException} naming the setting (exit 2);
 * an unreadable password file an {@link IOException} naming the file (exit 1).
 */
final class SnmpConfig {

  private static final String P = "mailops.snmp.";

  /** Flags given on the command line; null when absent. */
  record Flags(String listen, String community, List<String> trapTargets, String trapCommunity) {}

  private SnmpConfig() {
  }

  static SnmpSettings read(MailOpsSettings s, Flags flags) throws IOException {
    List<String> communities = new ArrayList<>();
    String community = flags.community() != null ? flags.community() : s.get(P + "community", "");
    if (!community.isEmpty()) {
      communities.add(community);
    }
    for (int i = 0; s.get(P + "communities[" + i + "]") != null; i++) {
      communities.add(s.get(P + "communities[" + i + "]"));
    }
    List<SnmpUser> users = new ArrayList<>();
    for (int i = 0; s.get(P + "users[" + i + "].name") != null; i++) {
      String k = P + "users[" + i + "].";
      String name = s.get(k + "name");
      users.add(setting(P + "users[" + i + "]", () -> new SnmpUser(name, SnmpUser.Auth.parse(s.get(k + "auth", "SHA-256")),
          secret(s, k + "auth-password-file", name), SnmpUser.Priv.parse(s.get(k + "priv", "AES-128")),
          secret(s, k + "priv-password-file", name))));
    }
    if (communities.isEmpty() && users.isEmpty()) {
      throw new IllegalArgumentException("no SNMP community: give --community NAME or set mailops.snmp.community");
    }
    List<TrapTarget> targets = new ArrayList<>();
    for (int i = 0; s.get(P + "traps.targets[" + i + "].address") != null; i++) {
      String k = P + "traps.targets[" + i + "].";
      targets.add(setting(P + "traps.targets[" + i + "]", () -> new TrapTarget(s.get(k + "address"), s.get(k + "community"),
          s.get(k + "user"))));
    }
    if (flags.trapTargets() != null) {
      for (String t : flags.trapTargets()) {
        String c = flags.trapCommunity() != null ? flags.trapCommunity() : community;
        if (c.isEmpty()) {
          throw new IllegalArgumentException("--trap-target " + t + " needs --trap-community NAME (or --community)");
        }
        targets.add(setting("--trap-target", () -> TrapTarget.v2c(t, c)));
      }
    } else if (flags.trapCommunity() != null) {
      throw new IllegalArgumentException("--trap-community needs --trap-target udp:HOST/PORT");
    }
    TrapSettings traps = setting(P + "traps", () -> TrapSettings.NONE.withTargets(targets)
        .withManagers(bool(s, P + "traps.send-to-all-managers"), integer(s, P + "traps.manager-port", 162),
            integer(s, P + "traps.max-managers", 32), duration(s, P + "traps.manager-ttl", "24h"))
        .withAlarms(integer(s, P + "traps.queue-high", 0), duration(s, P + "traps.collector-stalled-after", "0"),
            duration(s, P + "traps.check-every", "1m")));
    String stateDir = s.get(P + "state-dir", s.home().resolve("snmp").toString());
    return setting(P + "*", () -> new SnmpSettings(flags.listen() != null ? flags.listen()
        : s.get(P + "listen", SnmpSettings.DEFAULT_LISTEN), communities, s.get(P + "base-oid",
        SnmpSettings.DEFAULT_BASE_OID), users, traps, Path.of(stateDir), integer(s, P + "account-rows",
        SnmpSettings.DEFAULT_ACCOUNT_ROWS)));
  }

  /** A value that can fail with IllegalArgumentException, its message prefixed by the setting. */
  private interface Value<T> {
    T get() throws IOException;
  }

  private static <T> T setting(String key, Value<T> v) throws IOException {
    try {
      return v.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key.endsWith("*") || key.startsWith("--") ? e.getMessage()
          : key + ": " + e.getMessage(), e);
    }
  }

  private static String secret(MailOpsSettings s, String key, String user) throws IOException {
    String file = s.get(key);
    if (file == null || file.isBlank()) {
      throw new IllegalArgumentException("SNMPv3 user " + user + " needs " + key.substring(key.lastIndexOf('.') + 1)
          + " (a file holding the passphrase)");
    }
    try {
      String text = Files.readString(Path.of(file), StandardCharsets.UTF_8);
      int nl = text.indexOf('\n');
      return (nl < 0 ? text : text.substring(0, nl)).strip();
    } catch (IOException e) {
      throw new IOException("cannot read " + key + " " + file + " (SNMPv3 user " + user + "): " + e.getMessage()
          + "; check the path and that this user may read it", e);
    }
  }

  private static boolean bool(MailOpsSettings s, String key) {
    String v = s.get(key, "false").trim().toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(key + " must be true or false, got " + v);
    }
    return v.equals("true");
  }

  private static int integer(MailOpsSettings s, String key, int fallback) {
    String v = s.get(key);
    try {
      return v == null || v.isBlank() ? fallback : Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got " + v, e);
    }
  }

  /** {@code 500ms}, {@code 30s}, {@code 10m}, {@code 24h}, {@code 1d}, {@code 0} or ISO-8601 ({@code PT10M}). */
  static Duration duration(MailOpsSettings s, String key, String fallback) {
    return s.duration(key, fallback);
  }
}
