package io.mailops.jobs.cli;

import io.mailops.archiver.Archive;
import io.mailops.archiver.IngestListener;
import io.mailops.archiver.IngestResult;
import io.mailops.archiver.VolumeInfo;
import io.mailops.jobs.batch.StopRequest;
import io.mailops.jobs.config.MailOpsSettings;
import io.mailops.storage.MailStore;
import io.mailops.storage.MailStores;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mailops archive ingest --from URI [--follow]}: stores every message of a mail store not
 * archived before, then seals volumes when the rollover policy says so.
 */
@Command(name = "ingest", mixinStandardHelpOptions = true,
    description = "Archive every message of a mail store that is not archived yet (a re-run"
        + " ingests nothing twice; identical copies are stored once), then seal volumes as"
        + " mailops.archive.rollover / rollover-size say. Exit 3 when messages were skipped.")
public final class ArchiveIngestCommand implements Callable<Integer> {

  @ParentCommand
  ArchiveCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  ArchiveOptions options;

  @Option(names = "--from", required = true, paramLabel = "URI",
      description = "maildir:/var/vmail, imap[s]://user@host/, mbox:/file or eml:/dir.")
  String from;

  @Option(names = "--source-password-file", paramLabel = "FILE",
      description = "Password of an imap source (else $MAILOPS_PASSWORD).")
  Path sourcePasswordFile;

  @Option(names = "--follow",
      description = "Keep polling the source (a journal mailbox that Postfix always_bcc feeds)"
          + " every --interval until stopped.")
  boolean follow;

  @Option(names = "--interval", defaultValue = "60s", paramLabel = "DURATION",
      description = "Poll interval with --follow (e.g. 30s, 5m), default ${DEFAULT-VALUE}.")
  String interval;

  @Override
  public Integer call() throws Exception {
    MailOpsSettings s = parent.settings();
    PrintWriter out = spec.commandLine().getOut();
    Duration every = duration(interval);
    StoreOptions source = new StoreOptions();
    source.passwordFile = sourcePasswordFile;
    try (Archive a = parent.open(options)) {
      while (true) {
        IngestResult r;
        long start = System.nanoTime();
        try (MailStore store = MailStores.open(from, source.passwords(s.env()))) {
          r = a.ingest(store, from, new IngestListener() {
            @Override
            public void skipped(String location, String reason) {
              spec.commandLine().getErr().println("mailops: skipped " + location + ": " + reason);
            }

            @Override
            public boolean stopRequested() {
              return StopRequest.raised();
            }
          });
        }
        out.println("Ingested from " + from + ": " + r.stored() + " stored, " + r.duplicates()
            + " duplicates stored once, " + r.alreadyIngested() + " already archived, "
            + r.newBlobs() + " new blobs, " + r.discardedAttachments()
            + " attachments discarded, " + r.skipped().size() + " skipped, in "
            + rate(r, (System.nanoTime() - start) / 1e9) + ".");
        boolean stop = StopRequest.raised();
        if (stop) {
          out.println("Stopped on request at a group commit; the next run ingests the rest and rolls over.");
        }
        List<VolumeInfo> sealed = stop ? List.of() : a.rollover(ArchiveSupport.rollover(s));
        for (VolumeInfo v : sealed) {
          out.println("Sealed volume " + v.id() + ": " + v.count() + " messages.");
        }
        out.flush();
        if (!follow || stop) {
          return r.skipped().isEmpty() ? ExitCode.OK : ExitCode.PARTIAL;
        }
        Thread.sleep(every.toMillis());
      }
    }
  }

  /**
   * "4.2 s (476 messages/s)": the wall time of a run and the messages it stored or recorded as
   * duplicates per second (locations archived before are skipped without work, so not counted).
   */
  static String rate(IngestResult r, double seconds) {
    int handled = r.stored() + r.duplicates();
    return String.format(Locale.ROOT, "%.1f s (%.0f messages/s)", seconds,
        handled / Math.max(seconds, 1e-3));
  }

  static Duration duration(String v) {
    return MailOpsSettings.parseDuration("--interval", v);
  }
}
