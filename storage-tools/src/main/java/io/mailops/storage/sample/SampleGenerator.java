package io.mailops.storage.sample;

import io.mailops.storage.MailStore;
import io.mailops.storage.model.AccountId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Fills a {@link MailStore} with a realistic, reproducible sample: the backing data of
 * {@code mailops storage sample} and of demos and benchmarks.
 *
 * <p><b>What it writes.</b> Domains example.com, example.org, example.net, sample4.test, ...;
 * accounts alice, bob, carol, ... (numbered once the 19 names are used up). Every account gets
 * INBOX, Sent, Drafts, Trash, Archive, Archive/2024, Projekte/Übersicht and Reports/Q1; some also
 * Entwürfe, 日本語 and "Café &amp; Bar" (the first account always). Messages spread over the
 * folders, INBOX getting the most, with realistic flags (\Seen on about 70%, \Draft only in
 * Drafts, \Deleted only in Trash, keywords such as $Label1, $Junk, NonJunk, $Forwarded, Work, and
 * some without any flag) and MIME bodies of many shapes: 7bit, 8bit, quoted-printable and base64
 * text, multipart/alternative, multipart/mixed with PDF, PNG, zip and text attachments (some
 * shared, byte for byte, by several messages), nested multiparts; RFC 2047 subjects and names;
 * about 3% without Message-ID; about 2% with CRLF line ends, the rest LF as Dovecot stores mail.
 * Most messages are 1–20 kB, about 5% 100 kB–1 MB, about 1% 2–4 MB (at least one per store when
 * there are 50 or more messages per account).
 *
 * <p><b>Determinism.</b> Everything comes from {@link SampleSettings#seed()} through
 * {@link SplittableRandom}; the wall clock is never read. Equal settings give equal message
 * bytes, flags, keywords, internal dates and folders (the store's own file names may differ).
 * Each account draws from its own stream split off its domain's, and each message from its own
 * stream split off its account's, so changing the number of messages per account changes no
 * other message (except that the first account's forced large message appears from 50 on), and
 * adding domains leaves the existing domains' mail as it was apart from who writes to whom.
 * Internal dates are whole seconds in 2023-01-01..2025-12-31 UTC and equal the Date: header,
 * which is written with a zone offset.
 *
 * <p><b>Use.</b> It writes through {@link MailStore#createFolder} and {@link MailStore#append}
 * only, into a store the caller opened and closes; accounts that already exist get more
 * messages. Not for concurrent use on the same store. Holds one message in memory at a time.
 */
public final class SampleGenerator {

  /**
   * Told after each account is complete, in order, on the generating thread; for progress bars.
   * Use {@link #NONE} to ignore. An exception thrown here stops the generation.
   */
  @FunctionalInterface
  public interface Listener {

    /** Ignores progress. */
    Listener NONE = (account, accountsDone, accountsTotal) -> { };

    /**
     * @param account the account just completed
     * @param accountsDone how many accounts are complete, 1..{@code accountsTotal}
     * @param accountsTotal how many accounts the sample has
     */
    void accountWritten(AccountId account, int accountsDone, int accountsTotal);
  }

  /** The probability that an account other than the first gets each optional folder. */
  static final double OPTIONAL_FOLDER_SHARE = 0.35;

  /** The first account of the store gets one message of 2–4 MB among its first this many. */
  static final int FORCED_HUGE_WITHIN = 50;

  private SampleGenerator() {}

  /**
   * Writes the sample described by {@code settings} into {@code target}.
   *
   * @return what was written; {@code bytes} is the sum of the message sizes
   * @throws IOException when the store refuses a folder or a message; what was written so far
   *     stays
   */
  public static SampleReport generate(MailStore target, SampleSettings settings, Listener progress)
      throws IOException {
    Objects.requireNonNull(target, "target store");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(progress, "progress listener (use Listener.NONE)");
    Population population = new Population(settings);
    SplittableRandom root = new SplittableRandom(settings.seed());
    MessageComposer composer = new MessageComposer(Attachment.sharedPool(root.split()));
    int total = settings.accounts();
    int done = 0;
    int folders = 0;
    long messages = 0;
    long bytes = 0;
    for (int d = 0; d < settings.domains(); d++) {
      SplittableRandom domainRandom = root.split();
      for (int a = 0; a < settings.accountsPerDomain(); a++) {
        SplittableRandom accountRandom = domainRandom.split();
        SplittableRandom setup = accountRandom.split();
        SplittableRandom messageSeeds = accountRandom.split();
        boolean first = d == 0 && a == 0;
        AccountId account = population.account(d, a);
        List<SampleFolder> accountFolders = folders(setup, first);
        for (SampleFolder f : accountFolders) {
          target.createFolder(account, f.path());
        }
        folders += accountFolders.size();
        int forcedHuge = first && settings.messagesPerAccount() >= FORCED_HUGE_WITHIN
            ? setup.nextInt(FORCED_HUGE_WITHIN) : -1;
        MessagePlanner planner = new MessagePlanner(population, d, a, accountFolders, forcedHuge,
            messageSeeds);
        for (int i = 0; i < settings.messagesPerAccount(); i++) {
          MessageSpec spec = planner.next();
          byte[] content = composer.compose(spec);
          target.append(account, spec.folder().path(), new ByteArrayInputStream(content),
              spec.flags(), spec.date());
          messages++;
          bytes += content.length;
        }
        progress.accountWritten(account, ++done, total);
      }
    }
    return new SampleReport(settings.domains(), total, folders, messages, bytes);
  }

  /** The account's folders, INBOX first: all fixed ones, and each optional one by chance. */
  private static List<SampleFolder> folders(SplittableRandom setup, boolean all) {
    List<SampleFolder> out = new ArrayList<>();
    for (SampleFolder f : SampleFolder.values()) {
      boolean chosen = setup.nextDouble() < OPTIONAL_FOLDER_SHARE;
      if (!f.optional() || all || chosen) {
        out.add(f);
      }
    }
    return out;
  }
}
