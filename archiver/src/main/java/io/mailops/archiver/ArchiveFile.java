package io.mailops.archiver;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The plaintext {@code archive.json}: format, KDF parameters and salt, the wrapped keys (never a
 * key in clear) and the list of sealed volumes. {@code mac} is an HMAC-SHA256, under a key only
 * the password unlocks, of this record's JSON with {@code mac} empty, so a changed volume list
 * is detected.
 *
 * @param secret the archive secret wrapped by the master key (base64); a wrong password fails to
 *     unwrap it, which is the key check
 * @param currentKey the data key of the current database, wrapped by the master key (base64)
 */
record ArchiveFile(int format, String kdf, String salt, int memoryKiB, int iterations,
    int parallelism, int segmentSize, String secret, String currentKey, List<VolumeEntry> volumes,
    String mac) {

  static final int FORMAT = 1;
  static final String KDF = "argon2id";

  ArchiveFile {
    volumes = volumes == null ? List.of() : List.copyOf(volumes);
    mac = mac == null ? "" : mac;
  }

  byte[] saltBytes() {
    return Base64.getDecoder().decode(salt);
  }

  ArchiveFile withMac(String m) {
    return new ArchiveFile(format, kdf, salt, memoryKiB, iterations, parallelism, segmentSize,
        secret, currentKey, volumes, m);
  }

  ArchiveFile withVolume(VolumeEntry v) {
    List<VolumeEntry> all = new ArrayList<>(volumes);
    all.add(v);
    return new ArchiveFile(format, kdf, salt, memoryKiB, iterations, parallelism, segmentSize,
        secret, currentKey, all, "");
  }

  /** The MAC over this file's JSON without its {@code mac}. */
  String computeMac(byte[] macKey) {
    return Digests.hmacHex(macKey, Json.write(withMac("")));
  }

  /**
   * A sealed volume as archive.json lists it.
   *
   * @param firstSeq chain position of its first message
   * @param lastSeq chain position of its last message
   * @param prev the chain hash before its first message
   * @param head the chain hash of its last message
   * @param sha256 hex SHA-256 of the whole volume file
   */
  record VolumeEntry(String id, Instant from, Instant to, long count, long bytes, long firstSeq,
      long lastSeq, String prev, String head, String sha256) {}
}
