package io.mailops.migrator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InternalDateTest {

  /** The formatter the scan used for every message before the fast path. */
  private static final DateTimeFormatter REFERENCE = new DateTimeFormatterBuilder()
      .parseCaseInsensitive().appendPattern("d-MMM-yyyy HH:mm:ss Z").toFormatter(Locale.ENGLISH);

  @Test
  void internalDatesShouldParseAsTheFormatterParsesThem() {
    String[] dates = {"1-Jan-2024 00:00:00 +0000", "01-jan-2024 00:00:00 +0000",
        "17-JUL-1996 02:44:25 -0700", "28-Feb-2023 23:59:59 +1345", "29-Feb-2024 12:00:00 +0100",
        "31-Dec-1999 23:59:59 -1200", "31-Apr-2024 10:00:00 +0000", "5-Oct-2020 08:09:10 +1800",
        "9-Sep-0001 01:02:03 +0000"};
    for (String d : dates) {
      assertThat(WireReader.internalDate(d)).as(d)
          .isEqualTo(ZonedDateTime.parse(d, REFERENCE).toInstant());
    }
  }

  @Test
  void randomInternalDatesShouldParseAsTheFormatterParsesThem() {
    Random random = new Random(5);
    DateTimeFormatter print = DateTimeFormatter.ofPattern("d-MMM-yyyy HH:mm:ss Z", Locale.ENGLISH);
    for (int i = 0; i < 2000; i++) {
      ZonedDateTime t = Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE))
          .atZone(ZoneOffset.ofTotalSeconds((random.nextInt(28 * 4 + 1) - 14 * 4) * 900));
      String d = t.format(print);
      assertThat(WireReader.internalDate(d)).as(d).isEqualTo(t.toInstant());
    }
  }

  @Test
  void malformedInternalDatesShouldFailAsTheFormatterFails() {
    for (String d : new String[] {"1-Foo-2024 00:00:00 +0000", "1-Jan-2024 00:00:00 0000",
        "x1-Jan-2024 00:00:00 +0000", "1-Jan-2024", "", "1-Jan-0000 00:00:00 +0000"}) {
      assertThatThrownBy(() -> WireReader.internalDate(d)).as(d)
          .isInstanceOf(DateTimeParseException.class);
    }
  }

  @Test
  void edgeCasesShouldGoThroughTheFormatter() {
    // hour 24 (the formatter's SMART resolution: midnight of the next day), day 31 of a short month
    for (String d : new String[] {"1-Jan-2024 24:00:00 +0000", "31-Jun-2024 10:00:00 +0200",
        "1-Jan-2024 00:00:00 +1800"}) {
      assertThat(WireReader.internalDate(d)).as(d)
          .isEqualTo(ZonedDateTime.parse(d, REFERENCE).toInstant());
    }
  }

  @Test
  void appendDatesShouldBeWrittenAsTheFormatterWritesThem() {
    DateTimeFormatter reference = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z",
        Locale.ENGLISH).withZone(ZoneOffset.UTC);
    Random random = new Random(7);
    List<Instant> dates = new ArrayList<>(List.of(Instant.EPOCH, Instant.parse("2024-02-29T23:59:59Z"),
        Instant.parse("0001-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999Z"),
        Instant.parse("1969-12-31T23:59:59.5Z"), Instant.parse("1900-03-01T12:00:00Z")));
    for (int i = 0; i < 2000; i++) {
      dates.add(Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_800L),
          random.nextInt(1_000_000_000)));
    }
    for (Instant d : dates) {
      assertThat(WireWriter.internalDate(d)).as(d.toString())
          .isEqualTo(reference.format(d.truncatedTo(ChronoUnit.SECONDS)));
    }
  }

  @Test
  void scanItemsShouldBeFoundInAnyCase() {
    String upper = "12 FETCH (UID 40 FLAGS (\\Seen $Label1) RFC822.SIZE 99"
        + " INTERNALDATE \"01-Jan-2024 10:29:10 +0000\")";
    String lower = "12 fetch (uid 40 flags (\\Seen $Label1) rfc822.size 99"
        + " internaldate \"01-Jan-2024 10:29:10 +0000\")";
    for (String text : List.of(upper, lower)) {
      assertThat(WireReader.scanFlags(text)).as(text).isEqualTo("\\Seen $Label1");
      assertThat(WireReader.scanDate(text)).as(text).isEqualTo("01-Jan-2024 10:29:10 +0000");
    }
    assertThat(WireReader.scanFlags("12 FETCH (UID 40 XFLAGS (a) FLAGS ())")).isEmpty();
    assertThat(WireReader.scanDate("12 FETCH (UID 40)")).isNull();
  }
}
