package io.mailops.snmp;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One SNMPv3 USM user, always authPriv: read access to the agent's view, and a security name v3
 * trap targets can send as. {@link #toString()} hides the passphrases.
 *
 * @param name the USM user name (1 to 32 characters)
 * @param auth the authentication protocol
 * @param authPassword the authentication passphrase, at least 8 characters (RFC 3414)
 * @param priv the privacy protocol
 * @param privPassword the privacy passphrase, at least 8 characters
 */
public record SnmpUser(String name, Auth auth, String authPassword, Priv priv, String privPassword) {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,32}");

  /** Authentication protocols: SHA-256 (RFC 7860) recommended, SHA-1 for old managers. */
  public enum Auth {
    /** HMAC-SHA-96 (net-snmp {@code -a SHA}). */
    SHA,
    /** HMAC-SHA-192 with SHA-256 (net-snmp {@code -a SHA-256}). */
    SHA256,
    /** HMAC-SHA-384 with SHA-512 (net-snmp {@code -a SHA-512}). */
    SHA512;

    /** Parses {@code SHA}, {@code SHA-1}, {@code SHA-256}, {@code SHA-512} (case and dash insensitive). */
    public static Auth parse(String s) {
      String t = s == null ? "" : s.trim().toUpperCase(Locale.ROOT).replace("-", "");
      return switch (t) {
        case "SHA", "SHA1" -> SHA;
        case "SHA256" -> SHA256;
        case "SHA512" -> SHA512;
        default -> throw new IllegalArgumentException("auth protocol must be SHA-256, SHA-512 or SHA (SHA-1), got " + s);
      };
    }
  }

  /** Privacy protocols: AES-128 (RFC 3826); AES-256 in the Blumenthal draft form net-snmp uses. */
  public enum Priv {
    /** CFB128-AES-128 (net-snmp {@code -x AES}). */
    AES128,
    /** AES-256 with the Blumenthal key extension (net-snmp {@code -x AES-256}, opt-in). */
    AES256;

    /** Parses {@code AES}, {@code AES-128}, {@code AES-256} (case and dash insensitive). */
    public static Priv parse(String s) {
      String t = s == null ? "" : s.trim().toUpperCase(Locale.ROOT).replace("-", "");
      return switch (t) {
        case "AES", "AES128" -> AES128;
        case "AES256" -> AES256;
        default -> throw new IllegalArgumentException("priv protocol must be AES (AES-128) or AES-256, got " + s);
      };
    }
  }

  /** Checks the name and the passphrase lengths, naming the user. */
  public SnmpUser {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("SNMPv3 user name must be 1 to 32 letters, digits or ._@-, got " + name);
    }
    if (auth == null || priv == null) {
      throw new IllegalArgumentException("SNMPv3 user " + name + " needs an auth and a priv protocol (authPriv only)");
    }
    if (authPassword == null || authPassword.length() < 8) {
      throw new IllegalArgumentException("SNMPv3 user " + name + ": the auth passphrase must have at least 8 characters");
    }
    if (privPassword == null || privPassword.length() < 8) {
      throw new IllegalArgumentException("SNMPv3 user " + name + ": the priv passphrase must have at least 8 characters");
    }
  }

  @Override
  public String toString() {
    return "SnmpUser[" + name + ", " + auth + "/" + priv + "]";
  }
}
