package io.mailops.jobs;

import io.mailops.jobs.PostfixEnv.Mail;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Test messages for {@link QueueInteropIT}, varied the ways a real queue varies. */
final class QueueITMails {

  private QueueITMails() {}

  /**
   * {@code n} messages whose domains all contain {@code tag}: 1–4 recipients over six recipient
   * domains (one written in mixed case, some with a quoted local part {@code "a b"}), senders over
   * four domains plus the null sender and a quoted local part, contents from ~300 bytes to ~40 KB
   * with lines that need dot-stuffing, some with a header line longer than Postfix's 2048-byte
   * record limit. Message {@code i} has {@code 1 + i % 4} recipients and a unique Subject.
   */
  static List<Mail> of(String tag, int n) {
    List<Mail> mails = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String sender = i % 29 == 5 ? "" : i % 31 == 6 ? "\"first last\"@snd0." + tag + ".test"
          : "s" + i + "@snd" + (i % 4) + "." + tag + ".test";
      List<String> rcpts = new ArrayList<>();
      for (int j = 0; j <= i % 4; j++) {
        int d = (i + j) % 6;
        String domain = d == 5 ? "Mixed." + tag.toUpperCase(Locale.ROOT) + ".Invalid"
            : "d" + d + "." + tag + ".invalid";
        rcpts.add((i % 37 == 8 && j == 0 ? "\"a b\"" : "r" + j) + "@" + domain);
      }
      String subject = "interop " + tag + " message " + i;
      StringBuilder content = new StringBuilder()
          .append("From: ").append(sender.isEmpty() ? "MAILER-DAEMON@mailhost.test" : sender).append('\n')
          .append("To: ").append(String.join(", ", rcpts)).append('\n')
          .append("Subject: ").append(subject).append('\n')
          .append("Message-ID: <").append(i).append('.').append(tag).append("@interop.test>\n");
      if (i % 50 == 10) {
        content.append("X-Long: ").append("z".repeat(3000)).append('\n');
      }
      content.append('\n');
      int size = (i * 7919) % 40_000;
      for (int written = 0; written < size; written += 72) {
        content.append(i % 2 == 0 ? ".line starting with a dot " : "body line ").append(written).append('\n');
      }
      mails.add(new Mail(sender, List.copyOf(rcpts), subject, content.toString()));
    }
    return mails;
  }
}
