package io.mailops.archiver;

import java.time.Instant;

/**
 * A sealed volume as {@code archive volumes} lists it.
 *
 * @param id the volume id, e.g. {@code V000001}
 * @param from ingest time of its first message
 * @param to ingest time of its last message
 * @param count messages it holds
 * @param bytes size of the volume file
 * @param status whether the file is there and intact (a cheap check: structure, manifest
 *     authentication and the recorded size; {@link Archive#verify} checks every byte)
 * @param restored whether it is restored into the search database
 */
public record VolumeInfo(String id, Instant from, Instant to, long count, long bytes,
    Status status, boolean restored) {

  /** The state of a volume file. */
  public enum Status {
    INTACT, MISSING, CORRUPT
  }
}
