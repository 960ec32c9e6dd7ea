package io.mailops.storage.imap;

import io.mailops.storage.SpooledMessage;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Date;

/**
 * A message for IMAP APPEND that writes its original bytes unchanged (Jakarta Mail would
 * otherwise re-serialize headers) and carries the flags and the internal date to send:
 * {@code IMAPFolder.appendUIDMessages} takes the APPEND date from {@link #getReceivedDate}.
 * Jakarta Mail still turns bare LF line ends into CRLF, as IMAP requires.
 */
final class RawMimeMessage extends MimeMessage {

  private final SpooledMessage bytes;
  private final Date internalDate;

  RawMimeMessage(Session session, SpooledMessage bytes, Flags flags, Date internalDate)
      throws MessagingException {
    super(session);
    this.bytes = bytes;
    this.internalDate = internalDate;
    setFlags(flags, true);
  }

  @Override
  public void writeTo(OutputStream os) throws IOException {
    try (InputStream in = bytes.open()) {
      in.transferTo(os);
    }
  }

  @Override
  public void writeTo(OutputStream os, String[] ignoreList) throws IOException {
    writeTo(os);
  }

  @Override
  public Date getReceivedDate() {
    return internalDate;
  }

  @Override
  public int getSize() {
    return (int) Math.min(Integer.MAX_VALUE, bytes.size());
  }
}
