package io.mailops.archiver;

import static io.mailops.archiver.Mails.ALICE;
import static io.mailops.archiver.Mails.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.storage.memory.InMemoryMailStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IngestListener#stopRequested}: asked at the group-commit boundaries, it ends an ingest after
 * its first group (plus the messages already under way, committed as a last group); a re-run
 * archives exactly the rest.
 */
class ArchiveIngestStopTest {

  @TempDir
  Path tmp;

  @Test
  void ingestToldToStopEndsAtAGroupCommitAndTheRerunArchivesTheRestOnce() throws Exception {
    int total = Ingester.GROUP_MESSAGES + 500;
    List<byte[]> mails = new ArrayList<>();
    for (int i = 0; i < total; i++) {
      mails.add(Mails.plain(i));
    }
    AtomicBoolean stop = new AtomicBoolean();
    try (Archive a = Archive.init(tmp.resolve("archive"), PASSWORD, Mails.options());
        InMemoryMailStore s = Mails.store(ALICE, mails)) {
      IngestResult first = a.ingest(s, "maildir", new IngestListener() {
        @Override
        public void message(String location, IngestResult.Outcome outcome) {
          stop.set(true); // the stop arrives with the first message, in the middle of the first group
        }

        @Override
        public boolean stopRequested() {
          return stop.get();
        }
      });

      assertThat(first.stored()).as("the first group and the messages under way, not all")
          .isBetween(Ingester.GROUP_MESSAGES, total - 1);

      IngestResult rest = a.ingest(s, "maildir", IngestListener.NONE);
      assertThat(rest.alreadyIngested()).isEqualTo(first.stored());
      assertThat(rest.stored()).isEqualTo(total - first.stored());
      assertThat(rest.duplicates()).isZero();
    }
  }
}
