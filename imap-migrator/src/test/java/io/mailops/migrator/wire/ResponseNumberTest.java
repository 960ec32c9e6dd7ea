package io.mailops.migrator.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ResponseNumberTest {

  @Test
  void uidAndSizeShouldBeFoundWhereTheRegularExpressionsFoundThem() {
    Pattern uid = Pattern.compile("[( ]UID (\\d+)");
    Pattern size = Pattern.compile("[( ]RFC822\\.SIZE (\\d+)");
    List<String> texts = List.of("12 FETCH (UID 34 RFC822.SIZE 5678 FLAGS (\\Seen))",
        "1 FETCH (FLAGS () UID 7)", "1 FETCH (RFC822.SIZE 0 UID 0)", "UID 5", "1 FETCH (XUID 9)",
        "1 FETCH (X-UID x UID 8 UID 9)", "2 FETCH (UID  3)", "3 FETCH (BODY[HEADER] {10} UID 4)",
        "4 FETCH (FLAGS (\\Seen)RFC822.SIZE 12)", "5 FETCH ()", "", "OK [UIDNEXT 5] UID 6",
        "6 FETCH (UID 12345678901 RFC822.SIZE 98765432109)");
    for (String t : texts) {
      Response r = new Response("*", t, List.of());
      assertThat(r.uid()).as(t).isEqualTo(find(uid, t));
      assertThat(r.size()).as(t).isEqualTo(find(size, t));
    }
  }

  private static long find(Pattern p, String text) {
    Matcher m = p.matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }
}
