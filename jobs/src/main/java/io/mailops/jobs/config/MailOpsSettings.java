package io.mailops.jobs.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The effective configuration, read without starting Spring so that commands which run no
 * batch job stay fast. Later sources win: the defaults shipped in the jar
 * ({@code mailops-defaults.yml}), {@code $MAILOPS_HOME/mailops.yml}, the file given by
 * {@code --config} or {@code MAILOPS_CONFIG}, then environment variables in Spring Boot's
 * relaxed form ({@code MAILOPS_STORAGE} for {@code mailops.storage}), then command-line flags.
 * Values may refer to environment variables and other keys as {@code ${NAME}} or
 * {@code ${NAME:default}}. The same map is handed to Spring Boot for the batch commands.
 */
public final class MailOpsSettings {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private static final Pattern REF = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

  private final Map<String, String> values;
  private final Map<String, String> env;

  private MailOpsSettings(Map<String, String> values, Map<String, String> env) {
    this.values = values;
    this.env = env;
  }

  /** Loads the layered configuration; {@code env} is the process environment. */
  public static MailOpsSettings load(Map<String, String> env, Path configFile) throws IOException {
    Map<String, String> v = defaults();
    String home = home(env);
    v.put("mailops.home", home);
    readIfExists(Path.of(home, "mailops.yml"), v, false);
    String fromEnv = env.get("MAILOPS_CONFIG"); // empty: no file, as unset
    Path explicit = configFile != null ? configFile
        : fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv) : null;
    if (explicit != null) {
      readIfExists(explicit, v, true);
    }
    for (String key : v.keySet().toArray(String[]::new)) {
      String envName = key.replace(".", "_").replace("-", "").toUpperCase(Locale.ROOT);
      if (env.containsKey(envName)) {
        v.put(key, env.get(envName));
      }
    }
    v.put("mailops.home", home);
    return new MailOpsSettings(v, env);
  }

  /**
   * The shipped defaults: the build's flattened copy ({@link FlatDefaults}), or the YAML itself
   * where the build did not write one (classes run straight from an IDE).
   */
  static Map<String, String> defaults() throws IOException {
    try (InputStream flat = MailOpsSettings.class.getResourceAsStream(FlatDefaults.RESOURCE)) {
      if (flat != null) {
        return FlatDefaults.read(flat);
      }
    }
    return defaultsFromYaml();
  }

  /** The shipped defaults parsed from {@code mailops-defaults.yml}. */
  static Map<String, String> defaultsFromYaml() throws IOException {
    try (InputStream in = MailOpsSettings.class.getResourceAsStream("/mailops-defaults.yml")) {
      if (in == null) {
        return new LinkedHashMap<>();
      }
      return flattenYaml(new InputStreamReader(in, StandardCharsets.UTF_8), "mailops-defaults.yml");
    }
  }

  /** The YAML document of {@code r} ({@code name} for errors) flattened to dotted keys. */
  static Map<String, String> flattenYaml(Reader r, String name) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    flatten("", parse(r, name), out);
    return out;
  }

  /** {@code MAILOPS_HOME}, default {@code ~/.mailops}. */
  static String home(Map<String, String> env) {
    String h = env.get("MAILOPS_HOME");
    if (h == null || h.isBlank()) {
      h = Path.of(System.getProperty("user.home"), ".mailops").toString();
    }
    return Path.of(h).toAbsolutePath().normalize().toString();
  }

  private static void readIfExists(Path file, Map<String, String> into, boolean required) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      flatten("", parse(r, file.toString()), into);
    } catch (NoSuchFileException e) {
      if (required) {
        throw new IOException("configuration file " + file + " does not exist; check --config or MAILOPS_CONFIG");
      }
    }
  }

  private static Object parse(Reader r, String name) throws IOException {
    try {
      return new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
    } catch (RuntimeException e) {
      throw new IOException("cannot read configuration " + name + ": " + e.getMessage().lines().findFirst().orElse("")
          + "; fix the YAML syntax", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static void flatten(String prefix, Object node, Map<String, String> out) {
    if (node instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        flatten(prefix.isEmpty() ? String.valueOf(e.getKey()) : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else if (node instanceof Iterable<?> list) {
      int i = 0;
      for (Object o : list) {
        flatten(prefix + "[" + i++ + "]", o, out);
      }
    } else if (node != null && !prefix.isEmpty()) {
      out.put(prefix, String.valueOf(node));
    }
  }

  /** A copy with {@code key} set (a command-line flag), if {@code value} is not null. */
  public MailOpsSettings with(String key, String value) {
    if (value == null) {
      return this;
    }
    Map<String, String> v = new LinkedHashMap<>(values);
    v.put(key, value);
    return new MailOpsSettings(v, env);
  }

  /** The value of {@code key} with references resolved, or null. */
  public String get(String key) {
    String raw = values.get(key);
    return raw == null ? null : resolve(raw, 0);
  }

  /** The value of {@code key}, or {@code fallback}. */
  public String get(String key, String fallback) {
    String v = get(key);
    return v == null ? fallback : v;
  }

  /** The duration at {@code key} (or {@code fallback}), read by {@link #parseDuration}. */
  public Duration duration(String key, String fallback) {
    return parseDuration(key, get(key, fallback));
  }

  /**
   * A duration as users write it: {@code 0}, {@code 500ms}, {@code 30s}, {@code 10m}, {@code 24h},
   * {@code 7d}, combined ({@code 1h30m}) or ISO-8601 ({@code PT10M}); {@code what} (the setting or
   * the flag) names it in the error.
   *
   * @throws IllegalArgumentException with one line naming {@code what}, when it is none of these
   */
  public static Duration parseDuration(String what, String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = DURATION.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(v.startsWith("p") ? v.toUpperCase(Locale.ROOT) : "PT" + v.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(what + " '" + value + "': give a duration such as 30s, 5m or 1h");
    }
  }

  private String resolve(String s, int depth) {
    if (depth > 10 || s.indexOf("${") < 0) {
      return s;
    }
    Matcher m = REF.matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String val = values.containsKey(name) ? values.get(name) : env.get(name);
      if (val == null) {
        val = m.group(2) != null ? m.group(2) : "";
      }
      m.appendReplacement(b, Matcher.quoteReplacement(resolve(val, depth + 1)));
    }
    m.appendTail(b);
    return b.toString();
  }

  /** All keys with references resolved, for Spring Boot's default properties. */
  public Map<String, Object> asProperties() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String k : values.keySet()) {
      out.put(k, get(k));
    }
    return Collections.unmodifiableMap(out);
  }

  /** The process environment these settings were read with (passwords, {@code HOME}). */
  public Map<String, String> env() {
    return env;
  }

  /** {@code MAILOPS_HOME}: where state (the job repository, checkpoints) lives. */
  public Path home() {
    return Path.of(get("mailops.home"));
  }
}
