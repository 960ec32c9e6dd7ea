package io.mailops.archiver;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** SHA-256 and HMAC-SHA256 as lower-case hex. Thread-safe (one SHA-256 digest per thread). */
final class Digests {

  /** The chain hash before the first message. */
  static final String GENESIS = "0".repeat(64);
  /** One SHA-256 per thread (digest() resets it): hashed for every message and blob. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(Digests::sha256);

  private Digests() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(SHA256.get().digest(data));
  }

  /** An HmacSHA256 keyed with {@code key}, for one thread. */
  static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no HmacSHA256", e);
    }
  }

  static byte[] hmac(byte[] key, byte[] data) {
    return mac(key).doFinal(data);
  }

  static byte[] hmac(byte[] key, String label) {
    return hmac(key, label.getBytes(StandardCharsets.UTF_8));
  }

  static String hmacHex(byte[] key, byte[] data) {
    return HexFormat.of().formatHex(hmac(key, data));
  }

  /** The chain hash of a message: SHA-256 of "seq\nid\ndigest\nprev". */
  static String chain(long seq, String id, String digest, String prev) {
    return sha256Hex((seq + "\n" + id + "\n" + digest + "\n" + prev)
        .getBytes(StandardCharsets.UTF_8));
  }
}
