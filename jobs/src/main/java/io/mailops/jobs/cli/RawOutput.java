package io.mailops.jobs.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * A command's standard output: text in UTF-8, as any {@link PrintWriter} over the stream, and
 * bytes written unchanged ({@link #writeBytes}), for output that must be the original bytes
 * whatever their encoding ({@code archive show --raw} of a message in 8-bit Latin-1, say).
 */
public final class RawOutput extends PrintWriter {

  private final OutputStream bytes;

  /** Text and bytes to {@code bytes}; flushed at every line, as {@code System.out}'s writer. */
  public RawOutput(OutputStream bytes) {
    super(new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8)), true);
    this.bytes = bytes;
  }

  /** Writes {@code b} as it is, after the text written so far. */
  public void writeBytes(byte[] b) throws IOException {
    flush();
    bytes.write(b);
    bytes.flush();
  }
}
