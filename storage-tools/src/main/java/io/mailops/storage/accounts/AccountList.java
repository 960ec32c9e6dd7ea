package io.mailops.storage.accounts;

import io.mailops.storage.MailStoreException;
import io.mailops.storage.model.AccountId;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A list of accounts read from a CSV file with a header row, as the migrator and scoped jobs
 * take it:
 *
 * <pre>
 * account,source,password_file
 * alice@example.com,imaps://alice@old.example.com,/etc/mailops/alice.pw
 * # comment lines and empty lines are ignored
 * bob@example.com,,
 * </pre>
 *
 * <p>The column {@code account} ({@code user@domain}) is required; every other column is kept
 * per row by its lower-case name, empty values left out. The file is UTF-8 (a leading byte order
 * mark is allowed), values are trimmed, and quoting follows RFC 4180. A row with a bad account,
 * the wrong number of fields or an account already listed fails the whole list with a
 * {@link MailStoreException} naming the file, the line and the bad value.
 *
 * @param source the file (or other source) the list came from, for messages
 * @param columns the header's column names in file order, lower case
 * @param entries the rows in file order
 */
public record AccountList(String source, List<String> columns, List<Entry> entries) {

  /**
   * The CSV dialect of every account list mailops reads (this one and the migration's): RFC 4180
   * with {@code #} comment lines, blank lines and spaces around fields ignored.
   */
  public static final CSVFormat CSV = CSVFormat.RFC4180.builder()
      .setCommentMarker('#')
      .setIgnoreEmptyLines(true)
      .setIgnoreSurroundingSpaces(true)
      .get();

  /** The required column. */
  public static final String ACCOUNT = "account";

  public AccountList {
    Objects.requireNonNull(source, "source");
    columns = List.copyOf(columns);
    entries = List.copyOf(entries);
    if (!columns.contains(ACCOUNT)) {
      throw new IllegalArgumentException("account list " + source + " has no '" + ACCOUNT
          + "' column, got columns " + columns);
    }
  }

  /**
   * One row: its line in the file, its account and its other non-empty values by column name.
   */
  public record Entry(long line, AccountId account, Map<String, String> values) {

    public Entry {
      Objects.requireNonNull(account, "account");
      values = Map.copyOf(values);
    }

    /** The value of {@code column} (lower case), if the row has a non-empty one. */
    public Optional<String> value(String column) {
      return Optional.ofNullable(values.get(column));
    }
  }

  /** The accounts in file order. */
  public List<AccountId> accounts() {
    List<AccountId> out = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      out.add(e.account());
    }
    return out;
  }

  /** The row of {@code account}, if listed. */
  public Optional<Entry> find(AccountId account) {
    for (Entry e : entries) {
      if (e.account().equals(account)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** Reads a UTF-8 CSV file. */
  public static AccountList read(Path file) throws IOException {
    try (Reader in = Files.newBufferedReader(file)) {
      return parse(in, file.toString());
    } catch (NoSuchFileException e) {
      throw new MailStoreException("account list " + file + " does not exist; check the path", e);
    } catch (CharacterCodingException e) {
      throw new MailStoreException("account list " + file + " is not UTF-8 text; save it as UTF-8"
          + " (CSV UTF-8 in a spreadsheet program)", e);
    }
  }

  /** Parses CSV text; {@code source} names it in messages. The caller closes {@code in}. */
  public static AccountList parse(Reader in, String source) throws IOException {
    try (CSVParser parser = CSVParser.builder().setReader(in).setFormat(CSV).get()) {
      Iterator<CSVRecord> records = parser.iterator();
      if (!records.hasNext()) {
        throw new MailStoreException("account list " + source
            + " is empty: expected a header row with an '" + ACCOUNT + "' column");
      }
      List<String> columns = header(records.next(), parser.getCurrentLineNumber(), source);
      int accountColumn = columns.indexOf(ACCOUNT);
      List<Entry> entries = new ArrayList<>();
      Map<AccountId, Long> seen = new HashMap<>();
      while (records.hasNext()) {
        CSVRecord r = records.next();
        long line = parser.getCurrentLineNumber();
        if (r.size() != columns.size()) {
          throw new MailStoreException(where(source, line) + "has " + r.size()
              + " fields but the header has " + columns.size() + " " + columns + ", got '"
              + String.join(",", r.values()) + "'; add or remove fields (empty ones are allowed)");
        }
        AccountId account = account(r.get(accountColumn), source, line);
        Long before = seen.putIfAbsent(account, line);
        if (before != null) {
          throw new MailStoreException(where(source, line) + "account '" + account
              + "' is already listed at line " + before + "; remove one of the rows");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) {
          if (i != accountColumn && !r.get(i).isEmpty()) {
            values.put(columns.get(i), r.get(i));
          }
        }
        entries.add(new Entry(line, account, values));
      }
      return new AccountList(source, columns, entries);
    } catch (IllegalStateException | java.io.UncheckedIOException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof CharacterCodingException cce) {
        throw cce;
      }
      throw new MailStoreException("account list " + source + " is not valid CSV ("
          + cause.getMessage() + "); check the quotes on the line named", e);
    }
  }

  private static List<String> header(CSVRecord r, long line, String source)
      throws MailStoreException {
    List<String> columns = new ArrayList<>();
    for (String raw : r.values()) {
      String name = stripBom(raw).strip().toLowerCase(Locale.ROOT);
      if (name.isEmpty()) {
        throw new MailStoreException(where(source, line) + "the header has an empty column name,"
            + " got '" + String.join(",", r.values()) + "'; name every column");
      }
      if (columns.contains(name)) {
        throw new MailStoreException(where(source, line) + "column '" + name
            + "' appears twice in the header; rename or remove one");
      }
      columns.add(name);
    }
    if (!columns.contains(ACCOUNT)) {
      throw new MailStoreException(where(source, line) + "the header has no '" + ACCOUNT
          + "' column, got '" + String.join(",", r.values())
          + "'; the first row must name the columns, e.g. account,source,target");
    }
    return columns;
  }

  private static AccountId account(String value, String source, long line)
      throws MailStoreException {
    if (value.isEmpty()) {
      throw new MailStoreException(where(source, line)
          + "the account is empty; fill in user@domain or remove the row");
    }
    try {
      return AccountId.of(value);
    } catch (IllegalArgumentException e) {
      throw new MailStoreException(where(source, line) + "invalid account '" + value
          + "': expected user@domain such as alice@example.com", e);
    }
  }

  private static String stripBom(String s) {
    return s.startsWith("\uFEFF") ? s.substring(1) : s;
  }

  private static String where(String source, long line) {
    return "account list " + source + " line " + line + ": ";
  }
}
