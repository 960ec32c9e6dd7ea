package io.mailops.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.jobs.PostfixEnv.Mail;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * {@code mailops queue} against the real Postfix of {@code scripts/interop/postfix.sh}: messages
 * are submitted over SMTP to unreachable domains (the relayhost is a dead loopback port), so they
 * end up deferred with real delay reasons; then what {@code mailops} reads from the queue files
 * must be what Postfix's own tools report — {@code postqueue -j} field by field, {@code qshape}
 * number by number — and what it does through {@code postsuper} must show in {@code postqueue -j}.
 *
 * <p>Every test starts from an empty queue ({@code postsuper -d ALL}: the instance is private to
 * the test run) and uses its own sender and recipient domains. Deferred messages are retried after
 * {@code minimal_backoff_time} (60 s in the harness), so a test's queue holds still while it runs.
 */
@Timeout(120)
class QueueInteropIT {

  private static final Duration SETTLE = Duration.ofSeconds(30);
  private static PostfixEnv postfix;

  @TempDir
  Path tmp;

  private String tag;

  @BeforeAll
  static void findPostfix() throws Exception {
    postfix = PostfixEnv.load();
  }

  @BeforeEach
  void emptyQueue() throws Exception {
    postfix.deleteAll();
    tag = Long.toString(ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
  }

  @Test
  void listAsJsonEqualsPostqueueFieldByFieldWithHeldAndExpiredMessages(TestReporter report)
      throws Exception {
    List<Mail> mails = mails("list", 400);
    long t0 = System.nanoTime();
    List<String> ids = postfix.submit(mails);
    long t1 = System.nanoTime();
    postfix.awaitDeferred(ids, SETTLE);
    report.publishEntry("enqueue", String.format("%d messages submitted in %d ms, all deferred after %d ms",
        ids.size(), (t1 - t0) / 1_000_000, (System.nanoTime() - t0) / 1_000_000));
    List<String> held = every(ids, 10, 3);
    List<String> expired = every(ids, 20, 7);
    List<String> heldAndExpired = every(ids, 40, 33);
    postfix.postsuper("-h", held);
    postfix.postsuper("-f", expired);
    postfix.postsuper("-e", heldAndExpired);

    Map<String, JsonNode> pq = stableListComparison(null);

    assertThat(pq.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(queueNames(pq, "hold")).containsExactlyInAnyOrderElementsOf(held);
    assertThat(pq.values().stream().filter(o -> o.get("forced_expire").asBoolean())
        .map(o -> o.get("queue_id").asString()))
        .containsExactlyInAnyOrderElementsOf(union(expired, heldAndExpired));
  }

  @Test
  void listWithQueueFilterEqualsPostqueueOfThatQueue() throws Exception {
    List<String> ids = postfix.submit(mails("filter", 60));
    postfix.awaitDeferred(ids, SETTLE);
    postfix.postsuper("-h", every(ids, 3, 0));

    Map<String, JsonNode> pq = stableListComparison("hold");

    assertThat(pq.keySet()).containsExactlyInAnyOrderElementsOf(every(ids, 3, 0));
  }

  @Test
  void statsByRecipientDomainEqualsQshapeOfTheDeferredQueue() throws Exception {
    postfix.awaitDeferred(postfix.submit(mails("stats", 300)), SETTLE);

    assertSameShape(List.of("deferred"), List.of("--queue", "deferred"));
    assertSameShape(List.of("-t", "1", "-b", "4", "deferred"),
        List.of("-t", "1", "-b", "4", "--queue", "deferred"));
    assertSameShape(List.of("-l", "-t", "2", "-b", "6", "deferred"),
        List.of("--linear", "-t", "2", "-b", "6", "--queue", "deferred"));
  }

  @Test
  void statsAtAFixedClockPutsMessagesInTheSameAgeBucketsAsQshapeAtThatTime() throws Exception {
    List<String> ids = new ArrayList<>(postfix.submit(mails("ages", 80)));
    Thread.sleep(1100);   // a second batch one arrival second later: ages on both sides of a limit
    ids.addAll(postfix.submit(mails("ages", 80)));
    Map<String, JsonNode> q = postfix.awaitDeferred(ids, SETTLE);
    long last = q.values().stream().mapToLong(o -> o.get("arrival_time").asLong()).max().orElseThrow();

    QueueITShape split = assertSameShape(last + 299, List.of("deferred"), List.of("--queue", "deferred"));
    assertThat(split.rows().get("TOTAL").subList(1, 3)).as("both sides of 5 min").doesNotContain(0L);
    assertSameShape(last + 2500, List.of("deferred"), List.of("--queue", "deferred"));
    assertSameShape(last + 14 * 86400, List.of("deferred"), List.of("--queue", "deferred"));
    assertSameShape(last + 2100, List.of("-l", "-t", "10", "-b", "5", "deferred"),
        List.of("--linear", "-t", "10", "-b", "5", "--queue", "deferred"));
    assertSameShape(last + 299, List.of("-s", "-t", "1", "-b", "8", "deferred"),
        List.of("--by", "sender", "-t", "1", "-b", "8", "--queue", "deferred"));
  }

  @Test
  void statsBySenderDomainEqualsQshapeSenderMode() throws Exception {
    postfix.awaitDeferred(postfix.submit(mails("senders", 300)), SETTLE);

    assertSameShape(List.of("-s", "deferred"), List.of("--by", "sender", "--queue", "deferred"));
  }

  @Test
  void statsOverDeferredAndHoldWithExpiredMessagesEqualsQshape() throws Exception {
    List<String> ids = postfix.submit(mails("expired", 200));
    postfix.awaitDeferred(ids, SETTLE);
    postfix.postsuper("-h", every(ids, 5, 1));
    postfix.postsuper("-f", every(ids, 10, 2));

    assertSameShape(List.of("deferred", "hold"), List.of("--queue", "deferred,hold"));
    assertSameShape(List.of("-s", "deferred", "hold"),
        List.of("--by", "sender", "--queue", "deferred,hold"));
  }

  @Test
  void holdThenReleaseShowInPostqueue() throws Exception {
    List<String> ids = postfix.submit(mails("hold", 20));
    postfix.awaitDeferred(ids, SETTLE);
    List<String> two = ids.subList(3, 5);

    CliResult hold = mailops("queue", "hold", two.get(0), two.get(1));

    assertThat(hold.code()).as(hold.toString()).isZero();
    assertThat(hold.out()).contains(two);
    Map<String, JsonNode> afterHold = postfix.queue();
    assertThat(queueNames(afterHold, "hold")).as(afterHold.toString()).containsExactlyInAnyOrderElementsOf(two);
    assertThat(afterHold).hasSize(ids.size());

    CliResult release = mailops("queue", "release", two.get(0));

    assertThat(release.code()).as(release.toString()).isZero();
    assertThat(release.out()).contains(two.get(0));
    Map<String, JsonNode> afterRelease = postfix.queue();
    assertThat(queueNames(afterRelease, "hold")).as(afterRelease.toString()).containsExactly(two.get(1));
    assertThat(afterRelease).containsKey(two.get(0)).hasSize(ids.size());
  }

  @Test
  void deleteRemovesOnlyTheNamedMessage() throws Exception {
    List<String> ids = postfix.submit(mails("delete", 20));
    Map<String, JsonNode> before = postfix.awaitDeferred(ids, SETTLE);

    CliResult delete = mailops("queue", "delete", ids.get(7));

    assertThat(delete.code()).as(delete.toString()).isZero();
    assertThat(delete.out()).contains(ids.get(7));
    Map<String, JsonNode> after = postfix.queue();
    before.remove(ids.get(7));
    assertThat(after).isEqualTo(before);
  }

  @Test
  void requeueGivesTheMessageANewQueueFileWithTheSameEnvelope() throws Exception {
    List<Mail> mails = mails("requeue", 10);
    List<String> ids = postfix.submit(mails);
    Map<String, JsonNode> before = postfix.awaitDeferred(ids, SETTLE);

    CliResult requeue = mailops("queue", "requeue", ids.get(4));

    assertThat(requeue.code()).as(requeue.toString()).isZero();
    assertThat(requeue.out()).contains(ids.get(4));
    postfix.wakePickup();
    Map<String, JsonNode> after = awaitAllDeferred(ids.size());
    List<JsonNode> added = after.values().stream()
        .filter(o -> !ids.contains(o.get("queue_id").asString())).toList();
    assertThat(added).hasSize(1);
    assertThat(added.get(0).get("sender")).isEqualTo(before.get(ids.get(4)).get("sender"));
    assertThat(addresses(added.get(0))).isEqualTo(addresses(before.get(ids.get(4))));
    assertThat(after).doesNotContainKey(ids.get(4));
  }

  @Test
  void allMatchingDryRunChangesNothingAndNamesWhatItWouldTouch() throws Exception {
    List<String> ids = postfix.submit(mails("dry", 40));
    Map<String, JsonNode> before = postfix.awaitDeferred(ids, SETTLE);
    String re = "@d1\\.dry-" + tag + "\\.invalid";
    Set<String> matching = before.values().stream()
        .filter(o -> addresses(o).stream().anyMatch(a -> Pattern.compile(re).matcher(a).find()))
        .map(o -> o.get("queue_id").asString()).collect(Collectors.toCollection(TreeSet::new));
    assertThat(matching).isNotEmpty().hasSizeLessThan(ids.size());

    CliResult dry = mailops("queue", "delete", "--all-matching", "--to", re, "--dry-run");

    assertThat(dry.code()).as(dry.toString()).isZero();
    assertThat(postfix.queue()).isEqualTo(before);
    assertThat(idsIn(dry.out(), ids)).as(dry.out()).isEqualTo(matching);

    CliResult hold = mailops("queue", "hold", "--all-matching", "--to", re);

    assertThat(hold.code()).as(hold.toString()).isZero();
    assertThat(queueNames(postfix.queue(), "hold")).containsExactlyInAnyOrderElementsOf(matching);
  }

  @Test
  void showPrintsIdSenderRecipientsSubjectAndDelayReason() throws Exception {
    List<Mail> mails = mails("show", 12);
    List<String> ids = postfix.submit(mails);
    Map<String, JsonNode> q = postfix.awaitDeferred(ids, SETTLE);
    int i = 10;  // three recipients, a 3000-byte header line

    CliResult show = mailops("queue", "show", ids.get(i));

    assertThat(show.code()).as(show.toString()).isZero();
    assertThat(show.out()).contains(ids.get(i), mails.get(i).sender(), mails.get(i).subject())
        .contains(mails.get(i).recipients())
        .contains(q.get(ids.get(i)).get("recipients").get(0).get("delay_reason").asString());
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Runs {@code mailops queue list --json [--queue QUEUE]} between two {@code postqueue -j}
   * snapshots (again, at most three times, if Postfix changed the queue in between), asserts that
   * every message in its JSON Lines equals the one of {@code postqueue -j} (restricted to
   * {@code queue} unless null) field by field, and returns that part of the snapshot.
   */
  private Map<String, JsonNode> stableListComparison(String queue) throws Exception {
    String[] args = queue == null ? new String[] {"queue", "list", "--json"}
        : new String[] {"queue", "list", "--json", "--queue", queue};
    for (int attempt = 1; ; attempt++) {
      Map<String, JsonNode> before = postfix.queue();
      CliResult list = mailops(args);
      Map<String, JsonNode> after = postfix.queue();
      if (!before.equals(after) && attempt < 3) {
        continue;
      }
      assertThat(list.code()).as(list.toString()).isZero();
      Map<String, JsonNode> ours = new LinkedHashMap<>();
      for (String line : list.out().split("\n")) {
        if (!line.isBlank()) {
          JsonNode o = PostfixEnv.JSON.readTree(line);
          assertThat(ours.put(o.get("queue_id").asString(), o)).as("queue_id twice: " + line).isNull();
        }
      }
      Map<String, JsonNode> expected = new LinkedHashMap<>(after);
      if (queue != null) {
        expected.values().removeIf(o -> !queue.equals(o.get("queue_name").asString()));
      }
      assertThat(ours.keySet()).as("queue ids of mailops vs postqueue -j")
          .containsExactlyInAnyOrderElementsOf(expected.keySet());
      List<String> differences = new ArrayList<>();
      expected.forEach((id, theirs) -> differences.addAll(differences(id, theirs, ours.get(id))));
      assertThat(differences).as("fields where mailops queue list --json differs from postqueue -j")
          .isEmpty();
      return expected;
    }
  }

  /** One line per field of {@code postqueue -j} that {@code mailops} prints differently. */
  private static List<String> differences(String id, JsonNode theirs, JsonNode ours) {
    List<String> out = new ArrayList<>();
    for (String field : theirs.propertyNames()) {
      JsonNode a = normalized(theirs.get(field));
      JsonNode b = ours.has(field) ? normalized(ours.get(field)) : null;
      if (!a.equals(b)) {
        out.add(id + " " + field + ": postqueue " + a + ", mailops " + b);
      }
    }
    return out;
  }

  /** The recipients array in a fixed order: postqueue -j lists the defer log's order first. */
  private static JsonNode normalized(JsonNode value) {
    if (!value.isArray()) {
      return value;
    }
    List<JsonNode> items = new ArrayList<>();
    value.forEach(items::add);
    items.sort(Comparator.comparing(JsonNode::toString));
    ArrayNode sorted = PostfixEnv.JSON.createArrayNode();
    items.forEach(sorted::add);
    return sorted;
  }

  private void assertSameShape(List<String> qshapeArgs, List<String> statsArgs) throws Exception {
    assertSameShape(null, qshapeArgs, statsArgs);
  }

  /**
   * Asserts that {@code mailops queue stats STATS_ARGS} prints the table of {@code qshape
   * QSHAPE_ARGS}: the same bucket labels, TOTAL row and domain rows. With {@code at}, both measure
   * ages at that epoch second ({@code --now}, and qshape with its clock set), else at the clock.
   */
  private QueueITShape assertSameShape(Long at, List<String> qshapeArgs, List<String> statsArgs)
      throws Exception {
    String[] qa = qshapeArgs.toArray(String[]::new);
    List<String> args = new ArrayList<>(List.of("queue", "stats"));
    args.addAll(statsArgs);
    if (at != null) {
      args.addAll(List.of("--now", Long.toString(at)));
    }
    String before = at == null ? postfix.qshape(qa) : postfix.qshapeAt(at, qa);
    CliResult stats = mailops(args.toArray(String[]::new));
    String after = at == null ? postfix.qshape(qa) : postfix.qshapeAt(at, qa);

    String what = "mailops " + String.join(" ", args) + " vs qshape " + String.join(" ", qshapeArgs)
        + (at == null ? "" : " at " + at) + "\nqshape:\n" + after + "mailops:\n" + stats.out() + stats.err();
    assertThat(stats.code()).as(what).isZero();
    QueueITShape theirs = QueueITShape.parse(after);
    assertThat(QueueITShape.parse(before)).as("qshape changed meanwhile").isEqualTo(theirs);
    QueueITShape ours = QueueITShape.parse(stats.out());
    assertThat(ours.buckets()).as(what).isEqualTo(theirs.buckets());
    assertThat(ours.rows().get("TOTAL")).as(what).isEqualTo(theirs.rows().get("TOTAL"));
    assertThat(ours.rows()).as(what).isEqualTo(theirs.rows());
    return theirs;
  }

  private CliResult mailops(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--queue-dir", postfix.queueDir().toString(),
        "--config-dir", postfix.configDir().toString()));
    Map<String, String> env = new HashMap<>();
    env.put("MAILOPS_HOME", tmp.resolve("home").toString());
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
    return CliResult.run(env, all.toArray(String[]::new));
  }

  /** Waits until the queue holds {@code n} messages, all deferred, whatever their IDs. */
  private static Map<String, JsonNode> awaitAllDeferred(int n) throws Exception {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      Map<String, JsonNode> q = postfix.queue();
      boolean settled = q.size() == n && q.values().stream()
          .allMatch(o -> "deferred".equals(o.get("queue_name").asString()));
      if (settled || System.nanoTime() > deadline) {
        return q;
      }
      Thread.sleep(200);
    }
  }

  /** {@code n} test messages with this test's own domains ({@code NAME-TAG}). */
  private List<Mail> mails(String name, int n) {
    return QueueITMails.of(name + "-" + tag, n);
  }

  private static List<String> every(List<String> ids, int step, int offset) {
    return IntStream.range(0, ids.size()).filter(i -> i % step == offset).mapToObj(ids::get).toList();
  }

  private static List<String> union(List<String> a, List<String> b) {
    List<String> u = new ArrayList<>(a);
    u.addAll(b);
    return u;
  }

  private static List<String> queueNames(Map<String, JsonNode> q, String queue) {
    return q.values().stream().filter(o -> queue.equals(o.get("queue_name").asString()))
        .map(o -> o.get("queue_id").asString()).toList();
  }

  private static List<String> addresses(JsonNode message) {
    List<String> a = new ArrayList<>();
    message.get("recipients").forEach(r -> a.add(r.get("address").asString()));
    a.sort(null);
    return a;
  }

  /** The queue IDs among {@code ids} that appear in {@code text} as words. */
  private static Set<String> idsIn(String text, List<String> ids) {
    return ids.stream().filter(id -> Pattern.compile("\\b" + id + "\\b").matcher(text).find())
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
