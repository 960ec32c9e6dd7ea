package io.mailops.archiver.index;

import java.time.Instant;
import java.util.List;

/**
 * What the search index knows of one archived message: the fields a compliance officer searches
 * by, taken from the message's headers and text parts when it is ingested.
 *
 * @param id the archive's id of the message (stable, unique in the archive)
 * @param messageId the Message-ID header without angle brackets, or {@code ""}
 * @param date the Date header, or the archive time when the header is missing or unreadable
 * @param from sender addresses (lower case, no display names)
 * @param to To addresses
 * @param cc Cc addresses
 * @param bcc Bcc addresses, when the archived copy still has the header
 * @param envelopeTo envelope recipients from {@code X-Original-To}, {@code Delivered-To} and
 *     {@code X-Envelope-To}
 * @param subject the decoded Subject, or {@code ""}
 * @param size the size of the original message in bytes
 * @param body the text of the text parts (HTML reduced to text)
 * @param attachments names and types of the attachments
 * @param source where the message was ingested from (store URI, folder)
 * @param archivedAt when it was ingested
 */
public record MessageDocument(String id, String messageId, Instant date, List<String> from,
    List<String> to, List<String> cc, List<String> bcc, List<String> envelopeTo, String subject,
    long size, String body, List<Attachment> attachments, String source, Instant archivedAt) {

  public MessageDocument {
    from = List.copyOf(from);
    to = List.copyOf(to);
    cc = List.copyOf(cc);
    bcc = List.copyOf(bcc);
    envelopeTo = List.copyOf(envelopeTo);
    attachments = List.copyOf(attachments);
  }

  /** One attachment: its file name (or {@code ""}), MIME type and decoded size in bytes. */
  public record Attachment(String name, String type, long size) {}
}
