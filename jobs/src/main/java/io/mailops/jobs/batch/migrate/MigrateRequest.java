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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;

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

  /**
   * The job parameters; the label and the start time identify a run. Made as Spring Batch's
   * {@code JobParametersBuilder} makes them (string parameters in a hash set), without it: its
   * {@code addString} builds an assertion message for every parameter, and the first string
   * concatenation of that shape costs a no-op run ~7 ms of CPU (docs/adr/0052).
   */
  public JobParameters parameters(Instant started, int accountCount) {
    Set<JobParameter<?>> p = new HashSet<>();
    add(p, "accounts.count", String.valueOf(accountCount), false);
    add(p, "migration", label(), true);
    add(p, "started", started.toString(), true);
    add(p, "include", String.join(SEP, include), false);
    add(p, "exclude", String.join(SEP, exclude), false);
    add(p, "map", String.join(SEP, map), false);
    add(p, "dry.run", String.valueOf(dryRun), false);
    add(p, "include.deleted", String.valueOf(includeDeleted), false);
    add(p, "subscribed.only", String.valueOf(subscribedOnly), false);
    add(p, "dedupe", dedupe.name(), false);
    add(p, "insecure", String.valueOf(insecure), false);
    add(p, "preserve.uids", String.valueOf(copy.preserveUids()), false);
    add(p, "sync.flags", String.valueOf(copy.syncFlags()), false);
    add(p, "delete.source.after.verify", String.valueOf(copy.deleteSourceAfterVerify()), false);
    add(p, "max.connections.per.host", String.valueOf(copy.maxConnectionsPerHost()), false);
    add(p, "bytes.per.second", String.valueOf(copy.bytesPerSecond()), false);
    if (accounts != null) {
      add(p, "accounts", accounts.toAbsolutePath().normalize().toString(), false);
    } else {
      add(p, "source", source, false);
      add(p, "target", target, false);
    }
    if (sourcePasswordFile != null) {
      add(p, "source.password.file", sourcePasswordFile.toString(), false);
    }
    if (targetPasswordFile != null) {
      add(p, "target.password.file", targetPasswordFile.toString(), false);
    }
    if (sourceTokenFile != null) {
      add(p, "source.oauth2.token.file", sourceTokenFile.toString(), false);
    }
    if (targetTokenFile != null) {
      add(p, "target.oauth2.token.file", targetTokenFile.toString(), false);
    }
    return new JobParameters(p);
  }

  /** Adds the string parameter {@code name} (never null: the builder refused null too). */
  private static void add(Set<JobParameter<?>> parameters, String name, String value,
      boolean identifying) {
    parameters.add(new JobParameter<>(name, Objects.requireNonNull(value, name), String.class,
        identifying));
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
