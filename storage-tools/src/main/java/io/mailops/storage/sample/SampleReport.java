package io.mailops.storage.sample;

/**
 * What {@link SampleGenerator#generate} wrote: the number of domains, accounts, folders
 * (INBOX included, summed over all accounts), messages, and the total size of the messages in
 * bytes as handed to the store.
 */
public record SampleReport(int domains, int accounts, int folders, long messages, long bytes) {

  public SampleReport {
    if (domains < 0 || accounts < 0 || folders < 0 || messages < 0 || bytes < 0) {
      throw new IllegalArgumentException("a sample report counts things, so no count may be negative,"
          + " got domains=" + domains + " accounts=" + accounts + " folders=" + folders
          + " messages=" + messages + " bytes=" + bytes);
    }
  }
}
