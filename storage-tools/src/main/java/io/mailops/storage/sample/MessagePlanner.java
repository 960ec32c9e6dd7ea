package io.mailops.storage.sample;

import io.mailops.storage.model.Flag;
import io.mailops.storage.model.Flags;
import io.mailops.storage.sample.MessageSpec.BodyKind;
import io.mailops.storage.sample.MessageSpec.SizeClass;
import io.mailops.storage.sample.Population.Person;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Decides the messages of one account, one at a time, each from its own random stream: message
 * {@code i} depends only on the account's seed, {@code i} and the messages before it (which it
 * may answer), so asking for more messages adds messages without changing the earlier ones. Not
 * thread-safe; one planner per account.
 */
final class MessagePlanner {

  private static final List<ZoneOffset> ZONES = List.of(ZoneOffset.UTC, ZoneOffset.ofHours(1),
      ZoneOffset.ofHours(2), ZoneOffset.ofHours(-5), ZoneOffset.ofHours(-8),
      ZoneOffset.ofHoursMinutes(5, 30), ZoneOffset.ofHours(9), ZoneOffset.ofHoursMinutes(-3, -30));
  private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  /** An earlier message that a later one may answer. */
  private record Earlier(String subject, String messageId, Person from) {}

  private final Population population;
  private final int domainIndex;
  private final int userIndex;
  private final Person owner;
  private final List<SampleFolder> folders;
  private final int totalWeight;
  private final int forcedHuge;
  private final SplittableRandom messageSeeds;
  private final List<Earlier> answerable = new ArrayList<>();
  private int next;

  /**
   * @param folders the account's folders, INBOX first
   * @param forcedHuge index of a message that must be {@link SizeClass#HUGE}, or -1
   * @param messageSeeds the account's stream of per-message seeds; split once per message
   */
  MessagePlanner(Population population, int domainIndex, int userIndex, List<SampleFolder> folders,
      int forcedHuge, SplittableRandom messageSeeds) {
    this.population = population;
    this.domainIndex = domainIndex;
    this.userIndex = userIndex;
    this.owner = population.person(domainIndex, userIndex);
    this.folders = List.copyOf(folders);
    this.totalWeight = folders.stream().mapToInt(SampleFolder::weight).sum();
    this.forcedHuge = forcedHuge;
    this.messageSeeds = messageSeeds;
  }

  /** Plans the next message from its own random stream, split off the account's. */
  MessageSpec next() {
    SplittableRandom rng = messageSeeds.split();
    int index = next++;
    SampleFolder folder = pickFolder(rng);
    Instant date = folder.randomDate(rng);
    ZoneOffset zone = ZONES.get(rng.nextInt(ZONES.size()));
    boolean outgoing = switch (folder.role()) {
      case SENT, DRAFTS -> true;
      case TRASH -> rng.nextInt(4) == 0;
      case INCOMING -> false;
    };
    Person other = population.correspondent(rng, domainIndex, userIndex);
    Person from = outgoing ? owner : other;
    List<Person> to = new ArrayList<>(List.of(outgoing ? other : owner));
    if (rng.nextInt(6) == 0) {
      to.add(population.correspondent(rng, domainIndex, userIndex));
    }
    List<Person> cc = new ArrayList<>();
    for (int n = rng.nextInt(5) == 0 ? 1 + rng.nextInt(2) : 0; n > 0; n--) {
      cc.add(population.correspondent(rng, domainIndex, userIndex));
    }
    Language language = pickLanguage(rng);
    String subject = language.subject(rng);
    Optional<String> inReplyTo = Optional.empty();
    double r = rng.nextDouble();
    if (r < (outgoing ? 0.45 : 0.15) && !answerable.isEmpty()) {
      Earlier e = answerable.get(rng.nextInt(answerable.size()));
      subject = e.subject().startsWith("Re: ") ? e.subject() : "Re: " + e.subject();
      inReplyTo = Optional.of(e.messageId());
      if (outgoing) {
        to.set(0, e.from());
      }
    } else if (r > 0.96) {
      subject = "Fwd: " + subject;
    }
    Optional<String> messageId = rng.nextInt(100) < 3 ? Optional.empty()
        : Optional.of("<" + ID_TIME.format(date) + "." + Long.toHexString(rng.nextLong())
            + "." + index + "@" + from.domain() + ">");
    SizeClass size = index == forcedHuge ? SizeClass.HUGE : pickSize(rng);
    double u = rng.nextDouble();
    int target = size.min + (int) ((size.max - size.min) * (size == SizeClass.REGULAR ? u * u : u));
    BodyKind kind = pickKind(rng, size, language);
    boolean crlf = rng.nextInt(50) == 0;
    EncodedWords enc = switch (rng.nextInt(5)) {
      case 0, 1 -> language.latin1() ? EncodedWords.Q_LATIN1 : EncodedWords.Q_UTF8;
      case 2 -> EncodedWords.Q_UTF8;
      default -> EncodedWords.B_UTF8;
    };
    Flags flags = pickFlags(rng, folder);
    if (messageId.isPresent() && !outgoing) {
      answerable.add(new Earlier(subject, messageId.get(), from));
    }
    return new MessageSpec(folder, date, zone, flags, owner, from, to, cc, subject, language,
        messageId, inReplyTo, size, target, kind, crlf, enc, rng.nextLong());
  }

  private SampleFolder pickFolder(SplittableRandom rng) {
    int w = rng.nextInt(totalWeight);
    for (SampleFolder f : folders) {
      w -= f.weight();
      if (w < 0) {
        return f;
      }
    }
    return folders.get(0);
  }

  private static Language pickLanguage(SplittableRandom rng) {
    int r = rng.nextInt(100);
    return r < 60 ? Language.ENGLISH : r < 82 ? Language.GERMAN : r < 90 ? Language.FRENCH
        : Language.JAPANESE;
  }

  private static SizeClass pickSize(SplittableRandom rng) {
    int r = rng.nextInt(1000);
    return r < 10 ? SizeClass.HUGE : r < 60 ? SizeClass.LARGE : r < 280 ? SizeClass.TINY
        : SizeClass.REGULAR;
  }

  private static BodyKind pickKind(SplittableRandom rng, SizeClass size, Language language) {
    int r = rng.nextInt(100);
    BodyKind kind = switch (size) {
      case HUGE -> r < 60 ? BodyKind.MIXED : BodyKind.NESTED;
      case LARGE -> r < 45 ? BodyKind.MIXED : r < 75 ? BodyKind.NESTED : BodyKind.ALTERNATIVE;
      case TINY -> r < 40 ? BodyKind.PLAIN_7BIT : r < 60 ? BodyKind.PLAIN_8BIT
          : r < 80 ? BodyKind.PLAIN_QP : r < 90 ? BodyKind.PLAIN_BASE64 : BodyKind.ALTERNATIVE;
      case REGULAR -> r < 22 ? BodyKind.PLAIN_7BIT : r < 34 ? BodyKind.PLAIN_8BIT
          : r < 44 ? BodyKind.PLAIN_QP : r < 49 ? BodyKind.PLAIN_BASE64
          : r < 72 ? BodyKind.ALTERNATIVE : r < 88 ? BodyKind.MIXED : BodyKind.NESTED;
    };
    return kind == BodyKind.PLAIN_7BIT && language != Language.ENGLISH ? BodyKind.PLAIN_QP : kind;
  }

  /**
   * Flags by folder role: sent mail is \Seen, drafts \Draft, trash now and then \Deleted;
   * received mail is \Seen two times in three, some \Answered or \Flagged, some with keywords,
   * and the rest (unseen, no keyword) has no flags at all.
   */
  private static Flags pickFlags(SplittableRandom rng, SampleFolder folder) {
    EnumSet<Flag> s = EnumSet.noneOf(Flag.class);
    TreeSet<String> k = new TreeSet<>();
    switch (folder.role()) {
      case SENT -> {
        s.add(Flag.SEEN);
        if (rng.nextInt(10) == 0) {
          k.add("Work");
        }
      }
      case DRAFTS -> {
        s.add(Flag.DRAFT);
        if (rng.nextInt(10) < 6) {
          s.add(Flag.SEEN);
        }
      }
      case TRASH -> {
        if (rng.nextInt(100) < 85) {
          s.add(Flag.SEEN);
        }
        if (rng.nextInt(100) < 12) {
          s.add(Flag.DELETED);
        }
        if (rng.nextInt(100) < 10) {
          k.add("$Junk");
        }
      }
      case INCOMING -> {
        boolean seen = rng.nextInt(100) < 64;
        if (seen) {
          s.add(Flag.SEEN);
          if (rng.nextInt(100) < 15) {
            s.add(Flag.ANSWERED);
          }
          if (rng.nextInt(100) < 5) {
            k.add("$Forwarded");
          }
        }
        if (rng.nextInt(100) < (seen ? 8 : 3)) {
          s.add(Flag.FLAGGED);
        }
        int r = rng.nextInt(100);
        if (r < 5) {
          k.add("$Label1");
        } else if (r < 12) {
          k.add("Work");
        } else if (r < 20 && seen) {
          k.add("NonJunk");
        } else if (r < 23 && folder == SampleFolder.INBOX) {
          k.add("$Junk");
        }
      }
    }
    return new Flags(s, k);
  }
}
