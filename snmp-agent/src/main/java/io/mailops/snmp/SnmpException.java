package io.mailops.snmp;

import java.io.IOException;

/** The SNMP agent could not start or serve; the message names the address or setting and what to do. */
public final class SnmpException extends IOException {

  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}, caused by {@code cause} (may be null). */
  public SnmpException(String message, Throwable cause) {
    super(message, cause);
  }
}
