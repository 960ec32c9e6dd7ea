package io.mailops.storage.sample;

import io.mailops.storage.model.FolderPath;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.SplittableRandom;

/**
 * The folders a sample account can have, with how they fill: {@code weight} is the relative
 * share of an account's messages (INBOX the largest), {@code role} who writes the messages
 * there and which flags they get, and the date range their internal dates come from (all within
 * 2023-01-01..2025-12-31 UTC). No name contains a '.', which Maildir++ reserves.
 */
enum SampleFolder {
  INBOX("INBOX", 40, Role.INCOMING, false),
  SENT("Sent", 14, Role.SENT, false),
  DRAFTS("Drafts", 3, Role.DRAFTS, false),
  TRASH("Trash", 5, Role.TRASH, false),
  ARCHIVE("Archive", 8, Role.INCOMING, false),
  ARCHIVE_2024("Archive/2024", 8, Role.INCOMING, false),
  PROJEKTE_UEBERSICHT("Projekte/Übersicht", 6, Role.INCOMING, false),
  REPORTS_Q1("Reports/Q1", 5, Role.INCOMING, false),
  ENTWUERFE("Entwürfe", 3, Role.SENT, true),
  NIHONGO("日本語", 3, Role.INCOMING, true),
  CAFE_BAR("Café & Bar", 4, Role.INCOMING, true);

  /** Who writes a folder's messages, which decides sender, recipients and flags. */
  enum Role {
    /** Mail received by the account. */
    INCOMING,
    /** Mail written by the account, always \Seen. */
    SENT,
    /** Unfinished mail by the account, always \Draft. */
    DRAFTS,
    /** Deleted mail of any kind, now and then \Deleted. */
    TRASH
  }

  static final Instant FIRST = Instant.parse("2023-01-01T00:00:00Z");
  static final Instant LAST = Instant.parse("2025-12-31T23:59:59Z");

  private final FolderPath path;
  private final int weight;
  private final Role role;
  private final boolean optional;

  SampleFolder(String path, int weight, Role role, boolean optional) {
    if (path.indexOf('.') >= 0) {
      throw new IllegalArgumentException("Maildir++ forbids '.' in folder names, got " + path);
    }
    this.path = FolderPath.of(path);
    this.weight = weight;
    this.role = role;
    this.optional = optional;
  }

  FolderPath path() {
    return path;
  }

  int weight() {
    return weight;
  }

  Role role() {
    return role;
  }

  /** Whether only some accounts have this folder (the non-ASCII extras). */
  boolean optional() {
    return optional;
  }

  /**
   * A whole-second internal date for a message in this folder: Archive/2024 holds 2024, Archive
   * 2023 to mid-2024, Reports/Q1 the first quarters, the rest the whole range.
   */
  Instant randomDate(SplittableRandom rng) {
    Instant from = FIRST;
    Instant to = LAST;
    switch (this) {
      case ARCHIVE_2024 -> {
        from = Instant.parse("2024-01-01T00:00:00Z");
        to = Instant.parse("2024-12-31T23:59:59Z");
      }
      case ARCHIVE -> to = Instant.parse("2024-06-30T23:59:59Z");
      case REPORTS_Q1 -> {
        int year = 2023 + rng.nextInt(3);
        from = LocalDate.of(year, 1, 1).atStartOfDay().toInstant(ZoneOffset.UTC);
        to = LocalDate.of(year, 3, 31).atTime(23, 59, 59).toInstant(ZoneOffset.UTC);
      }
      default -> {
        // the whole range
      }
    }
    return Instant.ofEpochSecond(rng.nextLong(from.getEpochSecond(), to.getEpochSecond() + 1));
  }
}
