package io.mailops.jobs.batch.migrate;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.springframework.batch.core.SpringBatchVersion;
import org.springframework.batch.core.job.DefaultJobKeyGenerator;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.dao.DefaultExecutionContextSerializer;

/**
 * Writes a completed {@code migrate} job execution into the Spring Batch job repository with
 * plain JDBC, in one transaction, row for row as Spring Batch's JDBC DAOs write the job's own
 * executions (schema of Spring Batch 6: ids from the {@code *_SEQ} sequences, the job key from
 * {@link DefaultJobKeyGenerator}, contexts through {@link DefaultExecutionContextSerializer} with
 * {@code batch.version}). Spring Batch's {@code JobRepository} built programmatically did the
 * same in ~0.4 s more (transaction proxies, logging set-up, a transaction per row; ADR 0026).
 * H2 and PostgreSQL only (the repositories mailops supports).
 */
final class NoopRunRecord {

  private final Connection db;
  private final String prefix;
  private final boolean postgres;

  NoopRunRecord(Connection db, String prefix, boolean postgres) {
    this.db = db;
    this.prefix = prefix;
    this.postgres = postgres;
  }

  /** One step: its name and its execution context, serialized as Spring Batch stores it. */
  record Step(String name, String context) {

    /**
     * The step {@code name} of type {@code type} (the class name Spring Batch records as {@code
     * batch.stepType}) with the execution context entries {@code context} (ints, longs,
     * strings), serialized now: a no-op run does it while the job repository is still being
     * opened (docs/adr/0042).
     *
     * @throws IOException when the serialized context is longer than the short context column
     */
    static Step of(String name, Map<String, Object> context, String type) throws IOException {
      Map<String, Object> c = new HashMap<>(context);
      c.put("batch.stepType", type);
      return new Step(name, NoopRunRecord.context(c));
    }
  }

  /**
   * A step before its context is serialized: its name, its type (as {@link Step#of} takes it)
   * and its context entries (ints, longs, strings). The no-op journal keeps steps so and
   * serializes them when it writes them (docs/adr/0054).
   */
  record Context(String name, String type, Map<String, Object> entries) {

    /** This step with its context serialized. */
    Step step() throws IOException {
      return Step.of(name, entries, type);
    }
  }

  /** The step type Spring Batch records for the job's manager (partition) step. */
  static final String PARTITION_STEP = "org.springframework.batch.core.partition.PartitionStep";

  /** The ids of one run: its job instance, its execution and one per step. */
  private record Ids(long instance, long execution, long[] steps) {}

  private Ids reserved;

  /** The parameters whose job key {@link #prepare} computed, and the key. */
  private JobParameters keyed;
  private String key;

  /**
   * Takes the ids of a run of {@code steps} steps from the sequences and has the database parse
   * the statements {@link #write} runs, so that both happen beside the look at the servers
   * rather than after it (docs/adr/0039). Ids taken for a run that is then not written are gaps,
   * as a rolled-back job leaves them. The job key of {@code parameters} is computed here too.
   */
  void prepare(int steps, JobParameters parameters) throws SQLException {
    keyed = parameters;
    key = jobKey(parameters);
    reserved = new Ids(next("JOB_INSTANCE_SEQ"), next("JOB_EXECUTION_SEQ"),
        next("STEP_EXECUTION_SEQ", steps));
    for (String sql : new String[] {insertInstance(), insertExecution(), insertParameter(),
        insertExecutionContext(), insertStep(), insertStepContext()}) {
      db.prepareStatement(sql).close(); // parsed now; H2 keeps it in the session's query cache
    }
  }

  /**
   * Records a job execution of {@code job} with {@code parameters} (a new instance: the
   * parameters identify a run), started at {@code started}, completed now, with a completed
   * manager step {@code manager} and the completed {@code steps}; returns
   * {@code {instance id, execution id}}. Nothing is written if anything fails.
   */
  long[] write(String job, JobParameters parameters, LocalDateTime started, Step manager,
      List<Step> steps) throws SQLException, IOException {
    return write(job, parameters, started, LocalDateTime.now(), manager, steps);
  }

  /**
   * {@link #write(String, JobParameters, LocalDateTime, Step, List)} for a run that ended at
   * {@code ended} (a run from the no-op journal, written later: NoopJournal).
   */
  long[] write(String job, JobParameters parameters, LocalDateTime started, LocalDateTime ended,
      Step manager, List<Step> steps) throws SQLException, IOException {
    Ids ids = reserved != null && reserved.steps().length == steps.size() + 1 ? reserved
        : new Ids(next("JOB_INSTANCE_SEQ"), next("JOB_EXECUTION_SEQ"),
            next("STEP_EXECUTION_SEQ", steps.size() + 1));
    reserved = null;
    long instance = ids.instance();
    long execution = ids.execution();
    boolean auto = db.getAutoCommit();
    db.setAutoCommit(false);
    try {
      update(insertInstance(), instance, job, parameters == keyed ? key : jobKey(parameters));
      LocalDateTime now = ended;
      update(insertExecution(), execution, instance, ts(started), ts(now), ts(started), ts(now));
      for (JobParameter<?> p : parameters) {
        update(insertParameter(), execution, p.name(), p.type().getName(),
            String.valueOf(p.value()), p.identifying() ? "Y" : "N");
      }
      update(insertExecutionContext(), execution, context(Map.of()));
      step(ids.steps()[0], execution, manager, started, now, steps.size());
      for (int i = 0; i < steps.size(); i++) {
        step(ids.steps()[i + 1], execution, steps.get(i), started, now, 1);
      }
      db.commit();
      return new long[] {instance, execution};
    } catch (SQLException | IOException | RuntimeException e) {
      db.rollback();
      throw e;
    } finally {
      db.setAutoCommit(auto);
    }
  }

  /**
   * The job key {@link DefaultJobKeyGenerator} gives {@code parameters} (Spring Batch 6: the MD5,
   * in lower-case hex, of the identifying parameters' {@code toString()} in the order of their
   * names), made here with a {@code StringBuilder}: Spring Batch's {@code JobParameter.toString}
   * is an {@code invokedynamic} string concatenation, whose first use in a process builds its
   * method handles (~8 ms of CPU on the repository's way, docs/adr/0053). {@code
   * NoopRunRecordKeyTest} compares the two.
   */
  static String jobKey(JobParameters parameters) {
    List<String> names = new ArrayList<>();
    for (JobParameter<?> p : parameters.parameters()) {
      names.add(p.name());
    }
    Collections.sort(names);
    StringBuilder b = new StringBuilder();
    for (String name : names) {
      JobParameter<?> p = parameters.getParameter(name);
      if (p != null && p.identifying()) {
        b.append("JobParameter{name='").append(p.name()).append("', value=").append(p.value())
            .append(", type=").append(p.type()).append(", identifying=").append(p.identifying())
            .append('}');
      }
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
          .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is missing from this JDK", e);
    }
  }

  private void step(long id, long execution, Step step, LocalDateTime started,
      LocalDateTime ended, int commits) throws SQLException {
    update(insertStep(), id, step.name(), execution, ts(started), ts(ended), (long) commits,
        ts(ended), ts(started));
    update(insertStepContext(), id, step.context());
  }

  private String insertInstance() {
    return "INSERT INTO " + prefix + "JOB_INSTANCE(JOB_INSTANCE_ID, JOB_NAME, JOB_KEY, VERSION)"
        + " VALUES (?, ?, ?, 0)";
  }

  private String insertExecution() {
    return "INSERT INTO " + prefix + "JOB_EXECUTION(JOB_EXECUTION_ID, JOB_INSTANCE_ID,"
        + " START_TIME, END_TIME, STATUS, EXIT_CODE, EXIT_MESSAGE, VERSION, CREATE_TIME,"
        + " LAST_UPDATED) VALUES (?, ?, ?, ?, 'COMPLETED', 'COMPLETED', '', 2, ?, ?)";
  }

  private String insertParameter() {
    return "INSERT INTO " + prefix + "JOB_EXECUTION_PARAMS(JOB_EXECUTION_ID, PARAMETER_NAME,"
        + " PARAMETER_TYPE, PARAMETER_VALUE, IDENTIFYING) VALUES (?, ?, ?, ?, ?)";
  }

  private String insertExecutionContext() {
    return "INSERT INTO " + prefix + "JOB_EXECUTION_CONTEXT(JOB_EXECUTION_ID, SHORT_CONTEXT,"
        + " SERIALIZED_CONTEXT) VALUES (?, ?, NULL)";
  }

  private String insertStep() {
    return "INSERT INTO " + prefix + "STEP_EXECUTION(STEP_EXECUTION_ID, VERSION, STEP_NAME,"
        + " JOB_EXECUTION_ID, START_TIME, END_TIME, STATUS, COMMIT_COUNT, READ_COUNT,"
        + " FILTER_COUNT, WRITE_COUNT, EXIT_CODE, EXIT_MESSAGE, READ_SKIP_COUNT, WRITE_SKIP_COUNT,"
        + " PROCESS_SKIP_COUNT, ROLLBACK_COUNT, LAST_UPDATED, CREATE_TIME) VALUES (?, 2, ?, ?, ?,"
        + " ?, 'COMPLETED', ?, 0, 0, 0, 'COMPLETED', '', 0, 0, 0, 0, ?, ?)";
  }

  private String insertStepContext() {
    return "INSERT INTO " + prefix + "STEP_EXECUTION_CONTEXT(STEP_EXECUTION_ID, SHORT_CONTEXT,"
        + " SERIALIZED_CONTEXT) VALUES (?, ?, NULL)";
  }

  /** The context as Spring Batch stores it (serialized, base64), with its version key. */
  private static String context(Map<String, Object> entries) throws IOException {
    Map<String, Object> m = new HashMap<>(entries);
    m.put(SpringBatchVersion.BATCH_VERSION_KEY, SpringBatchVersion.getVersion());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new DefaultExecutionContextSerializer().serialize(m, out);
    String s = out.toString(StandardCharsets.ISO_8859_1);
    if (s.length() > 2500) {
      throw new IOException("execution context of " + s.length() + " characters; the job writes"
          + " it as a long context");
    }
    return s;
  }

  private long next(String sequence) throws SQLException {
    return next(sequence, 1)[0];
  }

  /** {@code n} values of {@code sequence}, in one statement. */
  private long[] next(String sequence, int n) throws SQLException {
    String q = postgres
        ? "SELECT nextval('" + prefix + sequence + "') FROM generate_series(1, " + n + ")"
        : "SELECT NEXT VALUE FOR " + prefix + sequence + " FROM SYSTEM_RANGE(1, " + n + ")";
    long[] out = new long[n];
    try (PreparedStatement p = db.prepareStatement(q); ResultSet r = p.executeQuery()) {
      for (int i = 0; i < n; i++) {
        if (!r.next()) {
          throw new SQLException("sequence " + prefix + sequence + " gave " + i + " of " + n
              + " values");
        }
        out[i] = r.getLong(1);
      }
    }
    Arrays.sort(out); // in the order the job takes them: the manager step's first
    return out;
  }

  private void update(String sql, Object... args) throws SQLException {
    try (PreparedStatement p = db.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        p.setObject(i + 1, args[i]);
      }
      p.executeUpdate();
    }
  }

  private static Timestamp ts(LocalDateTime t) {
    return Timestamp.valueOf(t);
  }
}
