package io.mailops.jobs.cli;

import io.mailops.archiver.Archive;
import io.mailops.archiver.ArchiveException;
import io.mailops.jobs.config.MailOpsSettings;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code mailops archive resend ID --to ADDR [--smtp host:port]}: sends the original message,
 * unchanged, to an address over SMTP.
 */
@Command(name = "resend", mixinStandardHelpOptions = true,
    description = "Send an archived message, byte for byte as archived, to ADDRESS over SMTP"
        + " (default server: mailops.archive.smtp). Written to the audit log.")
public final class ArchiveResendCommand implements Callable<Integer> {

  @ParentCommand
  ArchiveCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  ArchiveOptions options;

  @Parameters(index = "0", paramLabel = "ID", description = "The id 'archive search' printed.")
  String id;

  @Option(names = "--to", required = true, paramLabel = "ADDRESS",
      description = "Recipient (the envelope recipient; the message's headers stay as they are).")
  String to;

  @Option(names = "--smtp", paramLabel = "HOST:PORT",
      description = "SMTP server (default: mailops.archive.smtp).")
  String smtp;

  @Option(names = "--as", paramLabel = "ADDRESS",
      description = "Resend as this user: only mail sent by or to the address.")
  String as;

  @Override
  public Integer call() throws Exception {
    MailOpsSettings s = parent.settings();
    String server = smtp != null ? smtp : s.get(ArchiveOptions.KEY + "smtp", "localhost:25");
    int colon = server.lastIndexOf(':');
    String host = colon < 0 ? server : server.substring(0, colon);
    String port = colon < 0 ? "25" : server.substring(colon + 1);
    InternetAddress rcpt;
    try {
      rcpt = new InternetAddress(to, true);
    } catch (AddressException e) {
      throw new IllegalArgumentException("--to '" + to + "' is not a mail address");
    }
    try (Archive a = parent.open(options)) {
      byte[] bytes = a.message(id);
      ArchiveExportCommand.checkScope(as, id, bytes);
      Map<String, String> details = new LinkedHashMap<>();
      details.put("id", id);
      details.put("to", rcpt.getAddress());
      details.put("smtp", server);
      a.audit().record(as == null ? "admin" : as, "resend", details);
      Properties p = new Properties();
      p.put("mail.smtp.host", host);
      p.put("mail.smtp.port", port);
      p.put("mail.smtp.connectiontimeout", "30000");
      p.put("mail.smtp.timeout", "60000");
      String from = s.get(ArchiveOptions.KEY + "resend-from", "");
      if (!from.isBlank()) {
        p.put("mail.smtp.from", from);
      }
      Session session = Session.getInstance(p);
      MimeMessage m = new MimeMessage(session, new ByteArrayInputStream(bytes));
      // Transport.send would call saveChanges(), which rewrites Message-ID and other headers
      try (Transport t = session.getTransport("smtp")) {
        t.connect();
        t.sendMessage(m, new Address[] {rcpt});
      } catch (MessagingException e) {
        throw new ArchiveException("resending " + id + " to " + rcpt.getAddress() + " through "
            + server + " failed: " + e.getMessage() + "; check --smtp and the server's log", e);
      }
    }
    spec.commandLine().getOut().println("Sent " + id + " to " + rcpt.getAddress() + " through "
        + server + ".");
    return ExitCode.OK;
  }
}
