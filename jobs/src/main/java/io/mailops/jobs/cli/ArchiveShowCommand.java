package io.mailops.jobs.cli;

import io.mailops.archiver.Archive;
import io.mailops.archiver.MessageRecord;
import io.mailops.archiver.index.MessageDocument;
import io.mailops.archiver.index.MessageParser;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code mailops archive show ID [--headers] [--raw]}: one archived message. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Show an archived message: its main headers and body text; --headers adds the"
        + " original header block, --raw prints the whole original message. Written to the audit"
        + " log.")
public final class ArchiveShowCommand implements Callable<Integer> {

  @ParentCommand
  ArchiveCommand parent;

  @Spec
  CommandSpec spec;

  @Mixin
  ArchiveOptions options;

  @Parameters(index = "0", paramLabel = "ID", description = "The id 'archive search' printed.")
  String id;

  @Option(names = "--headers", description = "Print the original header block.")
  boolean headers;

  @Option(names = "--raw", description = "Print the original message as it was received.")
  boolean raw;

  @Option(names = "--as", paramLabel = "ADDRESS",
      description = "Show as this user: only mail sent by or to the address.")
  String as;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    try (Archive a = parent.open(options)) {
      MessageRecord r = a.record(id);
      byte[] bytes = a.message(id);
      ArchiveExportCommand.checkScope(as, id, bytes);
      a.audit().record(as == null ? "admin" : as, "show", Map.of("id", id,
          "mode", raw ? "raw" : headers ? "headers" : "summary"));
      if (raw) {
        if (out instanceof RawOutput o) {
          o.writeBytes(bytes); // the original bytes, whatever their encoding
        } else {
          out.print(new String(bytes, StandardCharsets.UTF_8));
        }
        return ExitCode.OK;
      }
      MessageDocument d = MessageParser.parse(id, bytes, r.source(), r.archivedAt());
      if (headers) {
        out.print(new String(bytes, 0, headerEnd(bytes), StandardCharsets.UTF_8));
        out.println();
      } else {
        field(out, "From", d.from());
        field(out, "To", d.to());
        field(out, "Cc", d.cc());
        field(out, "Bcc", d.bcc());
        out.println("Date: " + d.date());
        out.println("Subject: " + d.subject());
        out.println("Message-ID: " + (d.messageId().isEmpty() ? "" : "<" + d.messageId() + ">"));
      }
      out.println("Archived: " + r.archivedAt() + " from " + r.source());
      out.println("Size: " + r.size() + " bytes, SHA-256 " + r.digest());
      for (MessageDocument.Attachment at : d.attachments()) {
        out.println("Attachment: " + (at.name().isEmpty() ? "(no name)" : at.name()) + " ("
            + at.type() + ", " + at.size() + " bytes)");
      }
      for (MessageRecord.Stub s : r.discarded()) {
        out.println("Discarded attachment: " + s.name() + " (" + s.type() + ", " + s.size()
            + " bytes, SHA-256 " + s.sha256() + ")");
      }
      out.println();
      out.println(d.body());
    }
    return ExitCode.OK;
  }

  private static void field(PrintWriter out, String name, List<String> addresses) {
    if (!addresses.isEmpty()) {
      out.println(name + ": " + String.join(", ", addresses));
    }
  }

  /** Offset of the end of the header block (after the empty line), or the whole length. */
  static int headerEnd(byte[] b) {
    for (int i = 0; i + 1 < b.length; i++) {
      if (b[i] == '\n' && b[i + 1] == '\n') {
        return i + 1;
      }
      if (b[i] == '\n' && b[i + 1] == '\r' && i + 2 < b.length && b[i + 2] == '\n') {
        return i + 1;
      }
    }
    return b.length;
  }
}
