package io.mailops.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mailops.jobs.batch.migrate.LookWarmup;
import io.mailops.jobs.batch.migrate.MigrateRequest;
import io.mailops.jobs.config.MailOpsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import picocli.CommandLine;

/**
 * A plain {@code migrate run --accounts FILE [--parallel N] [--config F]} is answered before
 * picocli parses it (docs/adr/0052): the request made for it must be the one picocli's options
 * make of the same command line, and every other line must be left to picocli.
 */
class MigrateRunPlainTest {

  @TempDir
  Path dir;

  /** The command picocli parses out of {@code args}, as {@code mailops} builds its model. */
  private static MigrateRunCommand parsed(MailOpsCommand root, String... args) {
    CommandLine.ParseResult r = root.model(args).parseArgs(args);
    return (MigrateRunCommand) r.subcommand().subcommand().commandSpec().userObject();
  }

  @Test
  void thePlainRequestIsTheOnePicocliMakesOfTheSameLine() throws Exception {
    Path config = Files.writeString(dir.resolve("mailops.yml"),
        "mailops:\n  migrate:\n    parallel: 7\n    max-connections-per-host: 12\n"
            + "    bytes-per-second: 5000\n");
    Map<String, String> env = Map.of("MAILOPS_HOME", dir.resolve("home").toString());
    for (String[] args : List.of(
        new String[] {"migrate", "run", "--accounts", "a.csv"},
        new String[] {"migrate", "run", "--accounts=a.csv", "--parallel", "3"},
        new String[] {"migrate", "run", "--parallel=12", "--accounts", "dir/b.csv"},
        new String[] {"migrate", "run", "--config", config.toString(), "--accounts", "a.csv"},
        new String[] {"migrate", "run", "--accounts", "a.csv", "--config=" + config})) {
      LookWarmup.Line line = LookWarmup.line(args);
      assertThat(line).as(String.join(" ", args)).isNotNull();
      MailOpsCommand root = new MailOpsCommand();
      MigrateRunCommand c = parsed(root, args);
      MailOpsSettings settings = MailOpsSettings.load(env, root.config);

      MigrateRequest byPicocli = c.what.request(c.dryRun).with(MigrateRunCommand.copy(
          c.preserveUids, c.syncFlags, c.deleteSourceAfterVerify, c.maxConnectionsPerHost,
          c.bytesPerSecond, settings));
      MigrateRequest plain = MigrateRunCommand.plainRequest(line.accountsFile(),
          MigrateRunCommand.copy(false, false, false, null, null, settings));
      assertThat(plain).as(String.join(" ", args)).isEqualTo(byPicocli);
      Instant t = Instant.parse("2026-11-24T01:02:03Z");
      assertThat(plain.parameters(t, 2)).isEqualTo(byPicocli.parameters(t, 2));
      assertThat(MigrateRunCommand.parallel(
          line.parallel() == null ? null : Integer.valueOf(line.parallel()), settings))
          .isEqualTo(MigrateRunCommand.parallel(c.parallel, settings));
    }
  }

  @Test
  void everyOtherLineIsLeftToPicocli() {
    // options that change the run, one-off endpoints, help, a missing or repeated value (which
    // picocli refuses), the root's own options before the entity
    for (String[] args : List.of(
        new String[] {"migrate", "run", "--accounts", "a.csv", "--dry-run"},
        new String[] {"migrate", "run", "--accounts", "a.csv", "--insecure"},
        new String[] {"migrate", "run", "--accounts", "a.csv", "--dedupe", "content"},
        new String[] {"migrate", "run", "--accounts", "a.csv", "--map", "A=B"},
        new String[] {"migrate", "run", "--accounts", "a.csv", "--debug"},
        new String[] {"migrate", "run", "--source", "imap://u@h", "--target", "imap://v@h"},
        new String[] {"migrate", "run", "--accounts", "a.csv", "--help"},
        new String[] {"migrate", "run", "--accounts"},
        new String[] {"migrate", "run", "--accounts", "--parallel", "3"},
        new String[] {"migrate", "run", "--accounts", "a.csv", "--accounts", "b.csv"},
        new String[] {"migrate", "run", "--accounts", "a.csv", "--parallel", "2",
            "--parallel=3"},
        new String[] {"--debug", "migrate", "run", "--accounts", "a.csv"},
        new String[] {"migrate", "verify", "--accounts", "a.csv"})) {
      assertThat(LookWarmup.line(args)).as(String.join(" ", args)).isNull();
    }
    // picocli itself refuses a repeated option: the plain path must not answer such a line
    assertThatThrownBy(() -> parsed(new MailOpsCommand(), "migrate", "run", "--accounts",
        "a.csv", "--accounts", "b.csv"))
        .isInstanceOf(CommandLine.ParameterException.class);
    assertThatThrownBy(() -> parsed(new MailOpsCommand(), "migrate", "run", "--accounts",
        "a.csv", "--parallel", "2", "--parallel=3"))
        .isInstanceOf(CommandLine.OverwrittenOptionException.class);
  }

  @Test
  void theJobParametersAreTheOnesSpringBatchsBuilderMakes() {
    Instant t = Instant.parse("2026-11-24T01:02:03Z");
    MigrateRequest oneOff = new MigrateRequest(null, "imap://a@h", "maildir:/v?account=b@d",
        Path.of("s.pw"), Path.of("t.pw"), List.of("INBOX", "Sent"), List.of("Junk"),
        List.of("A=B", "re:^X/(.*)$=Y/$1"), true, true, false,
        io.mailops.migrator.Fingerprint.Mode.CONTENT, true)
        .withTokenFiles(Path.of("s.tok"), Path.of("t.tok"))
        .with(new MigrateRequest.Copy(true, true, false, 4, 1000L));
    assertThat(oneOff.parameters(t, 1)).isEqualTo(new JobParametersBuilder()
        .addString("accounts.count", "1", false)
        .addString("migration", "imap://a@h -> maildir:/v?account=b@d", true)
        .addString("started", "2026-11-24T01:02:03Z", true)
        .addString("include", "INBOX\nSent", false)
        .addString("exclude", "Junk", false)
        .addString("map", "A=B\nre:^X/(.*)$=Y/$1", false)
        .addString("dry.run", "true", false)
        .addString("include.deleted", "true", false)
        .addString("subscribed.only", "false", false)
        .addString("dedupe", "CONTENT", false)
        .addString("insecure", "true", false)
        .addString("preserve.uids", "true", false)
        .addString("sync.flags", "true", false)
        .addString("delete.source.after.verify", "false", false)
        .addString("max.connections.per.host", "4", false)
        .addString("bytes.per.second", "1000", false)
        .addString("source", "imap://a@h", false)
        .addString("target", "maildir:/v?account=b@d", false)
        .addString("source.password.file", "s.pw", false)
        .addString("target.password.file", "t.pw", false)
        .addString("source.oauth2.token.file", "s.tok", false)
        .addString("target.oauth2.token.file", "t.tok", false)
        .toJobParameters());

    Path file = Path.of("a.csv");
    String absolute = file.toAbsolutePath().normalize().toString();
    assertThat(MigrateRunCommand.plainRequest(file, MigrateRequest.Copy.DEFAULTS)
        .parameters(t, 3)).isEqualTo(new JobParametersBuilder()
        .addString("accounts.count", "3", false)
        .addString("migration", absolute, true)
        .addString("started", "2026-11-24T01:02:03Z", true)
        .addString("include", "", false)
        .addString("exclude", "", false)
        .addString("map", "", false)
        .addString("dry.run", "false", false)
        .addString("include.deleted", "false", false)
        .addString("subscribed.only", "false", false)
        .addString("dedupe", "HEADERS", false)
        .addString("insecure", "false", false)
        .addString("preserve.uids", "false", false)
        .addString("sync.flags", "false", false)
        .addString("delete.source.after.verify", "false", false)
        .addString("max.connections.per.host", "0", false)
        .addString("bytes.per.second", "0", false)
        .addString("accounts", absolute, false)
        .toJobParameters());
  }
}
