package io.mailops.storage.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A file attached to a sample message: its name (possibly non-ASCII), MIME type and bytes. The
 * bytes are pseudo-random but shaped like the type: a PDF with header, one stream object and
 * trailer; a PNG with signature and checksummed IHDR/IDAT/IEND chunks; a real zip archive
 * (stored entries, fixed local times, so equal seeds give equal bytes); UTF-8 text.
 */
record Attachment(String fileName, String contentType, byte[] data) {

  Attachment {
    if (fileName == null || fileName.isEmpty() || contentType == null || data == null) {
      throw new IllegalArgumentException("an attachment needs a file name, a type and bytes, got '"
          + fileName + "' " + contentType);
    }
  }

  /** The four kinds of file the generator attaches. */
  enum Kind {
    PDF, PNG, ZIP, TXT
  }

  private static final List<String> PDF_NAMES = List.of("Rechnung-%d.pdf", "Angebot_%d.pdf",
      "Protokoll %d.pdf", "Übersicht Q%d.pdf", "report-%d.pdf");
  private static final List<String> PNG_NAMES = List.of("screenshot-%d.png", "Foto %d.png",
      "diagram_%d.png", "Grafik-Größe-%d.png");
  private static final List<String> ZIP_NAMES = List.of("export-%d.zip", "logs-%d.zip",
      "Unterlagen %d.zip");
  private static final List<String> TXT_NAMES = List.of("notes-%d.txt", "log-%d.txt",
      "Notizen für Freitag %d.txt");

  /** A new attachment of {@code kind} with about {@code size} bytes (at least a few dozen). */
  static Attachment create(SplittableRandom rng, Kind kind, int size) {
    int n = 1 + rng.nextInt(9999);
    return switch (kind) {
      case PDF -> new Attachment(name(rng, PDF_NAMES, n), "application/pdf", pdf(rng, size, n));
      case PNG -> new Attachment(name(rng, PNG_NAMES, n), "image/png", png(rng, size));
      case ZIP -> new Attachment(name(rng, ZIP_NAMES, n), "application/zip", zip(rng, size, n));
      case TXT -> new Attachment(name(rng, TXT_NAMES, n), "text/plain; charset=utf-8",
          txt(rng, size));
    };
  }

  /**
   * The attachments several messages share (same name and bytes), as a company logo or the
   * terms and conditions travel with many mails: one of each kind plus a second PDF and PNG,
   * 3..10 kB each.
   */
  static List<Attachment> sharedPool(SplittableRandom rng) {
    List<Attachment> pool = new ArrayList<>();
    for (Kind k : new Kind[] {Kind.PDF, Kind.PNG, Kind.ZIP, Kind.TXT, Kind.PDF, Kind.PNG}) {
      pool.add(create(rng, k, 3000 + rng.nextInt(7000)));
    }
    return List.copyOf(pool);
  }

  private static String name(SplittableRandom rng, List<String> names, int n) {
    return names.get(rng.nextInt(names.size())).replace("%d", String.valueOf(n));
  }

  private static byte[] pdf(SplittableRandom rng, int size, int n) {
    String head = "%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj\n<< /Title (Document " + n
        + ") /Producer (mailops sample) >>\nendobj\n";
    String tail = "\nendstream\nendobj\ntrailer\n<< /Info 1 0 R >>\n%%EOF\n";
    int body = Math.max(16, size - head.length() - tail.length() - 60);
    String streamHead = "2 0 obj\n<< /Length " + body + " /Filter /FlateDecode >>\nstream\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream(body + 200);
    out.writeBytes(head.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(streamHead.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(random(rng, body));
    out.writeBytes(tail.getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  private static byte[] png(SplittableRandom rng, int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + 64);
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    int width = 64 + rng.nextInt(1024);
    int height = 64 + rng.nextInt(768);
    byte[] ihdr = {0, 0, (byte) (width >> 8), (byte) width, 0, 0, (byte) (height >> 8),
        (byte) height, 8, 2, 0, 0, 0};
    chunk(out, "IHDR", ihdr);
    chunk(out, "IDAT", random(rng, Math.max(16, size - 57)));
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(int32(data.length));
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    out.writeBytes(int32((int) crc.getValue()));
  }

  private static byte[] int32(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  private static byte[] zip(SplittableRandom rng, int size, int n) {
    LocalDateTime time = LocalDateTime.of(2023 + rng.nextInt(3), 1 + rng.nextInt(12),
        1 + rng.nextInt(28), rng.nextInt(24), rng.nextInt(60), 2 * rng.nextInt(30));
    byte[] readme = ("Export " + n + "\n\n" + Language.ENGLISH.paragraph(rng) + "\n")
        .getBytes(StandardCharsets.UTF_8);
    byte[] data = random(rng, Math.max(16, size - readme.length - 250));
    ByteArrayOutputStream buf = new ByteArrayOutputStream(size + 512);
    try (ZipOutputStream zip = new ZipOutputStream(buf, StandardCharsets.UTF_8)) {
      stored(zip, "README.txt", readme, time);
      stored(zip, "data/export-" + n + ".bin", data, time);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot happen: zipping in memory", e);
    }
    return buf.toByteArray();
  }

  private static void stored(ZipOutputStream zip, String name, byte[] data, LocalDateTime time)
      throws IOException {
    ZipEntry e = new ZipEntry(name);
    e.setMethod(ZipEntry.STORED);
    e.setSize(data.length);
    e.setCompressedSize(data.length);
    CRC32 crc = new CRC32();
    crc.update(data);
    e.setCrc(crc.getValue());
    e.setTimeLocal(time);
    zip.putNextEntry(e);
    zip.write(data);
    zip.closeEntry();
  }

  private static byte[] txt(SplittableRandom rng, int size) {
    Language lang = rng.nextBoolean() ? Language.ENGLISH : Language.GERMAN;
    StringBuilder b = new StringBuilder(size + 400);
    int bytes = 0;
    while (bytes < size) {
      String p = lang.paragraph(rng);
      b.append(p).append("\n\n");
      bytes += Language.utf8Length(p) + 2;
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] random(SplittableRandom rng, int n) {
    byte[] b = new byte[n];
    rng.nextBytes(b);
    return b;
  }
}
