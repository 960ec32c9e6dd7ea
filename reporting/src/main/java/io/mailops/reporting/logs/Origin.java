package io.mailops.reporting.logs;

import java.time.LocalDateTime;

/**
 * Where and when a log line was written: its syslog header.
 *
 * @param time the wall-clock time as written in the line (an RFC 3339 offset is dropped, as
 *     pflogsumm does; a traditional timestamp gets its year from {@link LogLineParser})
 * @param host the host name field
 * @param program the program field without the pid, e.g. {@code postfix/submission/smtpd} or
 *     {@code dovecot}
 * @param service the last element of {@code program}: {@code smtpd}, {@code qmgr}, {@code dovecot}
 * @param pid the process id in brackets, or -1 when the line has none
 */
public record Origin(LocalDateTime time, String host, String program, String service, int pid) {

  /** The part of {@code program} before the first '/': {@code postfix}, {@code postfix-out}, {@code dovecot}. */
  public String syslogName() {
    int slash = program.indexOf('/');
    return slash < 0 ? program : program.substring(0, slash);
  }
}
