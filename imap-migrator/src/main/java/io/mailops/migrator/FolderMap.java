package io.mailops.migrator;

import io.mailops.storage.model.FolderPath;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The folder rules of a migration: which source folders are copied and where each one goes on
 * the target. A source folder is decided in this order; the first rule that applies wins:
 *
 * <ol>
 *   <li>{@code subscribedOnly}: an unsubscribed folder is not migrated (INBOX always is).
 *   <li>{@code --include REGEX}: when any is given, only folders whose path matches one are
 *       migrated; {@code --exclude REGEX}: a folder whose path matches one is not migrated.
 *       Regexes match the whole source path written {@code A/B} with {@code /} between the names.
 *   <li>{@code --map 'Old Name=New/Name'} exact rules, in the order given, then {@code --map
 *       're:^Old/(.*)$=Archive/$1'} regex rules (whole-path match, Java {@code $1} replacement),
 *       in the order given. Rules are tried on the source path and, when the INBOX prefix is
 *       stripped, also on the path without {@code INBOX/}. Write an {@code =} inside a name or a
 *       pattern as {@code \=}.
 *   <li>Special-use folders ({@link SpecialUse}): a folder the source marks with an RFC 6154
 *       attribute ({@code \Sent}, {@code \Drafts}, {@code \Trash}, {@code \Junk},
 *       {@code \Archive}; given by {@link SpecialUses}), wherever it is, or else one named as
 *       the kind (case-insensitive, at the top level or directly under INBOX), goes to the
 *       target's folder of the same kind — the one the target marks with the attribute, else the
 *       one named so — else to the kind's standard name ({@code Sent}, {@code Drafts}, ...).
 *       Their sub-folders follow them. On by default.
 *   <li>{@code stripInboxPrefix}: {@code INBOX/Sent} and {@code INBOX/Projekte/X} of servers
 *       with the {@code INBOX.} namespace (Courier, Cyrus) move to the root, as a Dovecot or
 *       Maildir target without prefix names them. On by default.
 *   <li>Otherwise the folder keeps its path.
 * </ol>
 *
 * <p>Two source folders going to the same target folder is allowed (their mail is merged); it is
 * listed in {@link #warnings()}. A map remembers the folders it placed, so use one per account:
 * {@link Builder#build()} can be called again for the next account. Thread-safe.
 */
public final class FolderMap implements FolderNamer {

  /** The kinds of special-use folders recognised by name, with the names of each kind. */
  public enum SpecialUse {
    SENT("\\Sent", "Sent", "Sent Items", "Sent Messages", "Sent Mail", "Gesendete Objekte",
        "Gesendet"),
    DRAFTS("\\Drafts", "Drafts", "Draft", "Entwürfe"),
    TRASH("\\Trash", "Trash", "Deleted Items", "Deleted Messages", "Papierkorb", "Bin"),
    JUNK("\\Junk", "Junk", "Spam", "Junk E-mail", "Bulk Mail"),
    ARCHIVE("\\Archive", "Archive", "Archives", "Archiv");

    private final String attribute;
    private final List<String> names;

    SpecialUse(String attribute, String... names) {
      this.attribute = attribute;
      this.names = List.of(names);
    }

    /** The RFC 6154 attribute of this kind, such as {@code \Sent}. */
    public String attribute() {
      return attribute;
    }

    /** The kind whose attribute is {@code attribute} (any case), if any. */
    public static Optional<SpecialUse> ofAttribute(String attribute) {
      for (SpecialUse kind : values()) {
        if (kind.attribute.equalsIgnoreCase(attribute)) {
          return Optional.of(kind);
        }
      }
      return Optional.empty();
    }

    /** The names of this kind; the first one is the name a new target folder gets. */
    public List<String> names() {
      return names;
    }

    /** The name a new target folder of this kind gets, such as {@code Sent}. */
    public String standardName() {
      return names.get(0);
    }

    /** The kind a folder named {@code name} is (case-insensitive), if any. */
    public static Optional<SpecialUse> of(String name) {
      for (SpecialUse kind : values()) {
        for (String n : kind.names) {
          if (n.equalsIgnoreCase(name)) {
            return Optional.of(kind);
          }
        }
      }
      return Optional.empty();
    }
  }

  private final List<Pattern> include;
  private final List<Pattern> exclude;
  private final List<ExactRule> exactRules;
  private final List<RegexRule> regexRules;
  private final boolean subscribedOnly;
  private final boolean specialUse;
  private final boolean stripInboxPrefix;
  /** Target folder to the first source folder sent there. */
  private final Map<FolderPath, FolderPath> assigned = new LinkedHashMap<>();
  private final Set<String> warnings = new LinkedHashSet<>();

  private FolderMap(Builder b) {
    this.include = List.copyOf(b.include);
    this.exclude = List.copyOf(b.exclude);
    this.exactRules = List.copyOf(b.exactRules);
    this.regexRules = List.copyOf(b.regexRules);
    this.subscribedOnly = b.subscribedOnly;
    this.specialUse = b.specialUse;
    this.stripInboxPrefix = b.stripInboxPrefix;
  }

  /** A builder with special-use mapping and INBOX prefix stripping on, and no other rules. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<FolderPath> targetFolder(SourceFolder folder, List<FolderPath> targetFolders) {
    return targetFolder(folder, targetFolders, SpecialUses.NONE);
  }

  @Override
  public Optional<FolderPath> targetFolder(SourceFolder folder, List<FolderPath> targetFolders,
      SpecialUses uses) {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(targetFolders, "targetFolders");
    Objects.requireNonNull(uses, "uses");
    FolderPath source = normalize(folder.path());
    Optional<FolderPath> target = decide(source, folder.subscribed(), targetFolders, uses);
    target.ifPresent(t -> record(source, t));
    return target;
  }

  /**
   * The target folder of every migrated source folder, in the order of {@code sources}; excluded
   * folders are left out. Collisions are added to {@link #warnings()}.
   */
  public Map<FolderPath, FolderPath> plan(List<SourceFolder> sources,
      List<FolderPath> targetFolders) {
    Map<FolderPath, FolderPath> out = new LinkedHashMap<>();
    for (SourceFolder s : sources) {
      targetFolder(s, targetFolders).ifPresent(t -> out.put(normalize(s.path()), t));
    }
    return out;
  }

  /**
   * What an operator should know about the mapping so far: source folders merged into one
   * target folder, regex rules that produced no valid folder name. In the order found.
   */
  public List<String> warnings() {
    synchronized (warnings) {
      return List.copyOf(warnings);
    }
  }

  private Optional<FolderPath> decide(FolderPath source, boolean subscribed,
      List<FolderPath> targetFolders, SpecialUses uses) {
    if (subscribedOnly && !subscribed && !source.isInbox()) {
      return Optional.empty();
    }
    String text = source.toString();
    if (!include.isEmpty() && include.stream().noneMatch(p -> p.matcher(text).matches())) {
      return Optional.empty();
    }
    if (exclude.stream().anyMatch(p -> p.matcher(text).matches())) {
      return Optional.empty();
    }
    FolderPath stripped = strip(source);
    List<String> candidates = stripped.equals(source) ? List.of(text)
        : List.of(text, stripped.toString());
    for (ExactRule rule : exactRules) {
      if (candidates.contains(rule.from().toString())) {
        return Optional.of(rule.to());
      }
    }
    for (RegexRule rule : regexRules) {
      for (String c : candidates) {
        Matcher m = rule.pattern().matcher(c);
        if (m.matches()) {
          Optional<FolderPath> mapped = rule.apply(m, source);
          if (mapped.isPresent()) {
            return mapped;
          }
          FolderPath instead = fallback(source, stripped, targetFolders, uses);
          synchronized (warnings) {
            warnings.add("--map '" + rule.text() + "' turns source folder '" + source
                + "' into no valid folder name; it is copied to '" + instead + "' instead");
          }
          return Optional.of(instead);
        }
      }
    }
    return Optional.of(fallback(source, stripped, targetFolders, uses));
  }

  /**
   * Special-use mapping, else the (stripped) path itself. A folder the source marks with a
   * special-use attribute (or whose parent it marks, at any depth) is of that kind wherever it
   * is ({@code [Gmail]/Sent Mail}); otherwise the name decides, at the top level or directly
   * under INBOX.
   */
  private FolderPath fallback(FolderPath source, FolderPath stripped,
      List<FolderPath> targetFolders, SpecialUses uses) {
    if (!specialUse || stripped.isInbox()) {
      return stripped;
    }
    List<String> all = source.segments();
    for (int n = all.size(); n >= 1; n--) {
      Optional<SpecialUse> marked = SpecialUse.ofAttribute(
          uses.source().getOrDefault(new FolderPath(all.subList(0, n)), ""));
      if (marked.isPresent()) {
        return placed(marked.get(), isInboxChild(stripped), all.subList(n, all.size()),
            targetFolders, uses);
      }
    }
    List<String> segs = stripped.segments();
    int at = isInboxChild(stripped) ? 1 : 0;
    Optional<SpecialUse> kind = SpecialUse.of(segs.get(at));
    if (kind.isEmpty()) {
      return stripped;
    }
    return placed(kind.get(), at == 1, segs.subList(at + 1, segs.size()), targetFolders, uses);
  }

  /**
   * The folder of {@code kind} with the sub-path {@code rest} below it: the target's folder of
   * the kind, else a new one with the kind's standard name, at the top or under INBOX (where the
   * INBOX prefix is kept).
   */
  private static FolderPath placed(SpecialUse kind, boolean underInbox, List<String> rest,
      List<FolderPath> targetFolders, SpecialUses uses) {
    FolderPath base = existing(kind, targetFolders, uses).orElseGet(() -> underInbox
        ? FolderPath.INBOX.child(kind.standardName()) : FolderPath.of(kind.standardName()));
    for (String s : rest) {
      base = base.child(s);
    }
    return base;
  }

  /**
   * The target's folder of {@code kind}: the one the target marks with the kind's attribute,
   * else by name, top level first, then directly under INBOX.
   */
  private static Optional<FolderPath> existing(SpecialUse kind, List<FolderPath> targetFolders,
      SpecialUses uses) {
    Optional<FolderPath> marked = targetFolders.stream().map(FolderMap::normalize)
        .filter(t -> kind.attribute().equals(uses.target().get(t))).sorted().findFirst();
    if (marked.isPresent()) {
      return marked;
    }
    for (String name : kind.names()) {
      Optional<FolderPath> under = Optional.empty();
      for (FolderPath p : targetFolders) {
        FolderPath t = normalize(p);
        if (t.segments().size() == 1 && t.name().equalsIgnoreCase(name) && !t.isInbox()) {
          return Optional.of(t);
        }
        if (under.isEmpty() && isInboxChild(t) && t.segments().size() == 2
            && t.name().equalsIgnoreCase(name)) {
          under = Optional.of(t);
        }
      }
      if (under.isPresent()) {
        return under;
      }
    }
    return Optional.empty();
  }

  private FolderPath strip(FolderPath source) {
    if (stripInboxPrefix && isInboxChild(source)) {
      List<String> segs = source.segments();
      return new FolderPath(segs.subList(1, segs.size()));
    }
    return source;
  }

  private void record(FolderPath source, FolderPath target) {
    synchronized (warnings) {
      FolderPath before = assigned.putIfAbsent(target, source);
      if (before != null && !before.equals(source)) {
        warnings.add("source folders '" + before + "' and '" + source
            + "' both go to target folder '" + target + "'; their mail is merged");
      }
    }
  }

  private static boolean isInboxChild(FolderPath p) {
    return p.segments().size() > 1 && p.segments().get(0).equalsIgnoreCase("INBOX");
  }

  /** {@code inbox/Sent} is {@code INBOX/Sent}: IMAP names INBOX case-insensitively. */
  static FolderPath normalize(FolderPath p) {
    if (isInboxChild(p) && !p.segments().get(0).equals("INBOX")) {
      List<String> segs = new ArrayList<>(p.segments());
      segs.set(0, "INBOX");
      return new FolderPath(segs);
    }
    return p;
  }

  @Override
  public String toString() {
    return "FolderMap[include=" + include + ", exclude=" + exclude + ", map="
        + exactRules.stream().map(ExactRule::text).toList()
        + regexRules.stream().map(RegexRule::text).toList() + ", subscribedOnly="
        + subscribedOnly + ", specialUse=" + specialUse + ", stripInboxPrefix="
        + stripInboxPrefix + "]";
  }

  private record ExactRule(String text, FolderPath from, FolderPath to) {}

  private record RegexRule(String text, Pattern pattern, String replacement) {

    Optional<FolderPath> apply(Matcher m, FolderPath source) {
      try {
        StringBuilder sb = new StringBuilder();
        m.appendReplacement(sb, replacement);
        m.appendTail(sb);
        return Optional.of(normalize(FolderPath.of(sb.toString())));
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        return Optional.empty();
      }
    }
  }

  /** Collects the rules; every method fails on a bad argument with the option in the message. */
  public static final class Builder {

    private final List<Pattern> include = new ArrayList<>();
    private final List<Pattern> exclude = new ArrayList<>();
    private final List<ExactRule> exactRules = new ArrayList<>();
    private final List<RegexRule> regexRules = new ArrayList<>();
    private boolean subscribedOnly;
    private boolean specialUse = true;
    private boolean stripInboxPrefix = true;

    private Builder() {}

    /** Adds an {@code --include} regex (whole-path match on {@code A/B}). */
    public Builder include(String regex) {
      include.add(compile("--include", regex));
      return this;
    }

    /** Adds an {@code --exclude} regex (whole-path match on {@code A/B}). */
    public Builder exclude(String regex) {
      exclude.add(compile("--exclude", regex));
      return this;
    }

    /** Adds a {@code --map} rule: {@code Old Name=New/Name} or {@code re:REGEX=REPLACEMENT}. */
    public Builder map(String rule) {
      Objects.requireNonNull(rule, "rule");
      boolean regex = rule.startsWith("re:");
      String body = regex ? rule.substring(3) : rule;
      int eq = unescapedEquals(body);
      if (eq < 0) {
        throw new IllegalArgumentException("--map '" + rule + "' has no '=': write 'Old Name=New/Name'"
            + " or 're:^Old/(.*)$=Archive/$1' (an = inside a name as \\=)");
      }
      String left = body.substring(0, eq);
      String right = body.substring(eq + 1);
      if (left.isEmpty() || right.isEmpty()) {
        throw new IllegalArgumentException("--map '" + rule + "' needs a folder on both sides of"
            + " '='; to leave a folder out use --exclude");
      }
      if (regex) {
        Pattern p = compile("--map", left);
        checkGroups(rule, p, right);
        regexRules.add(new RegexRule(rule, p, right));
      } else {
        exactRules.add(new ExactRule(rule, folder(rule, left), folder(rule, right)));
      }
      return this;
    }

    /** Migrates only subscribed folders (and INBOX); default off. */
    public Builder subscribedOnly(boolean on) {
      this.subscribedOnly = on;
      return this;
    }

    /** Maps special-use folders by name ({@link SpecialUse}); default on. */
    public Builder specialUse(boolean on) {
      this.specialUse = on;
      return this;
    }

    /** Moves {@code INBOX/X} to {@code X}; default on (a Dovecot or Maildir target). */
    public Builder stripInboxPrefix(boolean on) {
      this.stripInboxPrefix = on;
      return this;
    }

    /** A new folder map with the rules so far; the builder can be used on. */
    public FolderMap build() {
      return new FolderMap(this);
    }

    private static Pattern compile(String option, String regex) {
      Objects.requireNonNull(regex, "regex");
      try {
        return Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException(option + " '" + regex
            + "' is not a valid regular expression (" + e.getDescription() + " at index "
            + e.getIndex() + ")", e);
      }
    }

    private static FolderPath folder(String rule, String name) {
      try {
        return normalize(FolderPath.of(name.replace("\\=", "=")));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--map '" + rule + "': '" + name
            + "' is not a folder name; write names like 'Old Name' or 'Archive/2024'", e);
      }
    }

    private static void checkGroups(String rule, Pattern p, String replacement) {
      int groups = p.matcher("").groupCount();
      for (int i = 0; i < replacement.length() - 1; i++) {
        char c = replacement.charAt(i);
        if (c == '\\') {
          i++;
        } else if (c == '$' && Character.isDigit(replacement.charAt(i + 1))
            && replacement.charAt(i + 1) - '0' > groups) {
          throw new IllegalArgumentException("--map '" + rule + "' uses $"
              + replacement.charAt(i + 1) + " but the pattern has " + groups + " group(s)");
        }
      }
    }

    private static int unescapedEquals(String s) {
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\\') {
          i++;
        } else if (c == '=') {
          return i;
        }
      }
      return -1;
    }
  }
}
