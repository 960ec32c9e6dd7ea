package io.mailops.jobs.batch.migrate;

import io.mailops.migrator.Fingerprint;
import io.mailops.migrator.FolderMap;
import io.mailops.migrator.MigrationAccount;
import io.mailops.migrator.MigrationAccounts;
import io.mailops.migrator.Migrator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;

/**
 * What {@code mailops migrate run} was asked to do: an accounts CSV or one source and target,
 * the folder rules of the run, and the copy options. Carried as job parameters (never a
 * password: only the names of password files; environment variables are read at run time), so
 * {@code mailops jobs restart} repeats the same run.
 */
public record MigrateRequest(Path accounts, String source, String target, Path sourcePasswordFile,
    Path targetPasswordFile, List<String> include, List<String> exclude, List<String> map,
    boolean dryRun, boolean includeDeleted, boolean subscribedOnly, Fingerprint.Mode dedupe,
    boolean insecure, Copy copy, Path sourceTokenFile, Path targetTokenFile) {

  /**
   * How {@code migrate run} copies, beyond the engine's defaults.
   *
   * @param preserveUids {@code --preserve-uids}: keep the source's UIDs in a fresh Maildir target
   * @param syncFlags {@code --sync-flags}: apply flag changes of the source to earlier copies
   * @param deleteSourceAfterVerify {@code --delete-source-after-verify}: expunge, on the source,
   *     the messages the verification found on the target
   * @param maxConnectionsPerHost {@code --max-connections-per-host}: IMAP connections to one host
   *     at once over all accounts of the run, 0 for no limit
   * @param bytesPerSecond {@code --bytes-per-second}: message bytes fetched per second per
   *     account, 0 for no limit
   */
  public record Copy(boolean preserveUids, boolean syncFlags, boolean deleteSourceAfterVerify,
      int maxConnectionsPerHost, long bytesPerSecond) {

    /** Nothing beyond the defaults, no limits. */
    public static final Copy DEFAULTS = new Copy(false, false, false, 0, 0);

    public Copy {
      if (maxConnectionsPerHost < 0) {
        throw new IllegalArgumentException("--max-connections-per-host " + maxConnectionsPerHost
            + ": use 1 or more (0 for no limit)");
      }
      if (bytesPerSecond < 0) {
        throw new IllegalArgumentException("--bytes-per-second " + bytesPerSecond
            + ": use 1 or more (0 for no limit)");
      }
    }
  }

  /** A request with the default copy options. */
  public MigrateRequest(Path accounts, String source, String target, Path sourcePasswordFile,
      Path targetPasswordFile, List<String> include, List<String> exclude, List<String> map,
      boolean dryRun, boolean includeDeleted, boolean subscribedOnly, Fingerprint.Mode dedupe,
      boolean insecure) {
    this(accounts, source, target, sourcePasswordFile, targetPasswordFile, include, exclude, map,
        dryRun, includeDeleted, subscribedOnly, dedupe, insecure, Copy.DEFAULTS, null, null);
  }

  /** This request with {@code copy}. */
  public MigrateRequest with(Copy copy) {
    return new MigrateRequest(accounts, source, target, sourcePasswordFile, targetPasswordFile,
        include, exclude, map, dryRun, includeDeleted, subscribedOnly, dedupe, insecure, copy,
        sourceTokenFile, targetTokenFile);
  }

  /** This request with the OAuth2 token files of a one-off run (null: none). */
  public MigrateRequest withTokenFiles(Path sourceToken, Path targetToken) {
    return new MigrateRequest(accounts, source, target, sourcePasswordFile, targetPasswordFile,
        include, exclude, map, dryRun, includeDeleted, subscribedOnly, dedupe, insecure, copy,
        sourceToken, targetToken);
  }

  public MigrateRequest {
    Objects.requireNonNull(copy, "copy");
    if ((accounts == null) == (source == null || target == null)) {
      throw new IllegalArgumentException("give either --accounts accounts.csv or both --source"
          + " imap://user@host and --target imap://…|maildir:/…");
    }
    include = List.copyOf(include);
    exclude = List.copyOf(exclude);
    map = List.copyOf(map);
  }

  /** The accounts to migrate, in file order (one for a one-off run). */
  public List<MigrationAccount> accounts(Map<String, String> env) throws IOException {
    if (accounts != null) {
      return MigrationAccounts.read(accounts);
    }
    return List.of(MigrationAccount.oneOff(source, target, sourcePasswordFile, targetPasswordFile,
        sourceTokenFile, targetTokenFile, env));
  }

  /**
   * How to connect to {@code account}: as it is, or with {@code --insecure} with every IMAP URI
   * given {@code trust=all} (no certificate or host name check). The state and the reports keep
   * the account as written, so a run with and one without {@code --insecure} share their state.
   */
  public MigrationAccount connection(MigrationAccount account) {
    if (!insecure) {
      return account;
    }
    return new MigrationAccount(account.line(), trustAll(account.source()),
        trustAll(account.target()), account.exclude(), account.map());
  }

  private static MigrationAccount.Endpoint trustAll(MigrationAccount.Endpoint e) {
    String uri = e.uri();
    if (e.isMaildir() || uri.matches(".*[?&]trust=all(&.*)?")) {
      return e;
    }
    return new MigrationAccount.Endpoint(uri + (uri.indexOf('?') >= 0 ? "&" : "?") + "trust=all",
        e.account(), e.passwords(), e.auth());
  }

  /** The folder map of {@code account}: the run's rules, then the account's own. */
  public FolderMap folderMap(MigrationAccount account) {
    FolderMap.Builder b = FolderMap.builder().subscribedOnly(subscribedOnly);
    include.forEach(b::include);
    exclude.forEach(b::exclude);
    map.forEach(b::map);
    return account.addFolderRules(b).build();
  }

  /** The engine options. */
  public Migrator.Options options() {
    return new Migrator.Options(dryRun, includeDeleted, dedupe, subscribedOnly,
        copy.preserveUids(), copy.syncFlags());
  }

  /** What the runs of this request are called in the job repository and the reports. */
  public String label() {
    return accounts != null ? accounts.toAbsolutePath().normalize().toString() : source + " -> " + target;
  }

  private static final String SEP = "\n";

  /** The job parameters; the label and the start time identify a run. */
  public JobParameters parameters(Instant started, int accountCount) {
    JobParametersBuilder b = new JobParametersBuilder()
        .addString("accounts.count", String.valueOf(accountCount), false)
        .addString("migration", label(), true)
        .addString("started", started.toString(), true)
        .addString("include", String.join(SEP, include), false)
        .addString("exclude", String.join(SEP, exclude), false)
        .addString("map", String.join(SEP, map), false)
        .addString("dry.run", String.valueOf(dryRun), false)
        .addString("include.deleted", String.valueOf(includeDeleted), false)
        .addString("subscribed.only", String.valueOf(subscribedOnly), false)
        .addString("dedupe", dedupe.name(), false)
        .addString("insecure", String.valueOf(insecure), false)
        .addString("preserve.uids", String.valueOf(copy.preserveUids()), false)
        .addString("sync.flags", String.valueOf(copy.syncFlags()), false)
        .addString("delete.source.after.verify", String.valueOf(copy.deleteSourceAfterVerify()),
            false)
        .addString("max.connections.per.host", String.valueOf(copy.maxConnectionsPerHost()), false)
        .addString("bytes.per.second", String.valueOf(copy.bytesPerSecond()), false);
    if (accounts != null) {
      b.addString("accounts", accounts.toAbsolutePath().normalize().toString(), false);
    } else {
      b.addString("source", source, false).addString("target", target, false);
    }
    if (sourcePasswordFile != null) {
      b.addString("source.password.file", sourcePasswordFile.toString(), false);
    }
    if (targetPasswordFile != null) {
      b.addString("target.password.file", targetPasswordFile.toString(), false);
    }
    if (sourceTokenFile != null) {
      b.addString("source.oauth2.token.file", sourceTokenFile.toString(), false);
    }
    if (targetTokenFile != null) {
      b.addString("target.oauth2.token.file", targetTokenFile.toString(), false);
    }
    return b.toJobParameters();
  }

  /** The request behind {@code p}. */
  public static MigrateRequest of(JobParameters p) {
    return new MigrateRequest(path(p.getString("accounts")), p.getString("source"),
        p.getString("target"), path(p.getString("source.password.file")),
        path(p.getString("target.password.file")), list(p.getString("include")),
        list(p.getString("exclude")), list(p.getString("map")),
        Boolean.parseBoolean(p.getString("dry.run")),
        Boolean.parseBoolean(p.getString("include.deleted")),
        Boolean.parseBoolean(p.getString("subscribed.only")),
        Fingerprint.Mode.valueOf(p.getString("dedupe", "HEADERS")),
        Boolean.parseBoolean(p.getString("insecure")),
        new Copy(Boolean.parseBoolean(p.getString("preserve.uids")),
            Boolean.parseBoolean(p.getString("sync.flags")),
            Boolean.parseBoolean(p.getString("delete.source.after.verify")),
            Integer.parseInt(p.getString("max.connections.per.host", "0")),
            Long.parseLong(p.getString("bytes.per.second", "0"))),
        path(p.getString("source.oauth2.token.file")),
        path(p.getString("target.oauth2.token.file")));
  }

  private static Path path(String s) {
    return s == null || s.isBlank() ? null : Path.of(s);
  }

  private static List<String> list(String s) {
    return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(SEP));
  }
}
