package io.mailops.archiver;

/**
 * Hears about the progress of {@link Archive#ingest}; called on the ingesting thread. The
 * default methods do nothing.
 */
public interface IngestListener {

  /** Does nothing. */
  IngestListener NONE = new IngestListener() {};

  /**
   * One message of the source was handled.
   *
   * @param location source, account, folder and key of the message
   * @param outcome what happened to it
   */
  default void message(String location, IngestResult.Outcome outcome) {}

  /** A message or folder could not be read and was skipped; it is also in the result. */
  default void skipped(String location, String reason) {}

  /**
   * Asked at each group-commit boundary: true stops the ingest there (the messages under way are
   * committed as a last group; a re-run goes on with the rest).
   */
  default boolean stopRequested() {
    return false;
  }
}
