package io.mailops.jobs.cli;

import io.mailops.backup.BackupTarget;
import io.mailops.backup.ManifestCodec;
import io.mailops.backup.SetId;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code SET_ID/verify.json}: the outcome of the last {@code backup verify} of a set, written by
 * that command next to the set so that {@code backup list} shows it from any machine. Not part of
 * the set: restore and verify ignore it, prune removes it with the set.
 */
public record VerifyMarker(String time, boolean deep, boolean ok, int problems) {

  static final String NAME = "verify.json";

  String label() {
    return (ok ? (deep ? "deep " : "quick ") : "FAILED ") + time.substring(0, Math.min(10, time.length()));
  }

  static Optional<VerifyMarker> read(BackupTarget t, SetId id) throws IOException {
    String name = id + "/" + NAME;
    if (t.size(name).isEmpty()) {
      return Optional.empty();
    }
    try (InputStream in = t.open(name, 0, -1)) {
      return Optional.of(ManifestCodec.read(in.readAllBytes(), VerifyMarker.class, name));
    } catch (io.mailops.backup.BackupException e) {
      return Optional.empty();
    }
  }

  void write(BackupTarget t, String set, Path work) throws IOException {
    Files.createDirectories(work);
    Path tmp = Files.createTempFile(work, "verify", ".json");
    try {
      Files.write(tmp, ManifestCodec.write(this));
      t.put(set + "/" + NAME, tmp);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
