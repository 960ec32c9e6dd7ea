package io.mailops.storage.sample;

import io.mailops.storage.sample.Attachment.Kind;
import io.mailops.storage.sample.MessageSpec.BodyKind;
import io.mailops.storage.sample.MessageSpec.SizeClass;
import io.mailops.storage.sample.Population.Person;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Writes the RFC 5322 / MIME bytes of a {@link MessageSpec}: delivery headers on received mail,
 * Date: equal to the internal date in the spec's zone, encoded words where headers need them,
 * and a body of the spec's shape sized to about its target. Text, attachments and boundaries
 * come from the spec's content seed only, so equal specs give equal bytes. Stateless apart from
 * the shared attachments; safe for use by one thread at a time.
 */
final class MessageComposer {

  static final DateTimeFormatter RFC_5322_DATE =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH);

  private static final List<String> AGENTS = List.of("User-Agent: Mozilla Thunderbird 115.6.0",
      "User-Agent: Roundcube Webmail/1.6.5", "X-Mailer: Microsoft Outlook 16.0",
      "X-Mailer: Apple Mail (2.3731.700.6)", "User-Agent: Mutt/2.2.12 (2023-09-09)");
  private static final String SIGNATURE_8BIT = "-- \nSent from Café Zürich — naïve but fast ☕";
  /** How many base64 characters (with line ends) one input byte becomes. */
  private static final double BASE64 = 77.0 / 57.0;

  /** A transfer encoding and its header token. */
  private enum Cte {
    SEVEN_BIT("7bit"), EIGHT_BIT("8bit"), QUOTED_PRINTABLE("quoted-printable"), BASE64("base64");

    final String token;

    Cte(String token) {
      this.token = token;
    }
  }

  /** Writes one MIME entity (headers, empty line, body). */
  private interface Part {
    void write(MimeOutput out);
  }

  private final List<Attachment> shared;
  private final Attachment sharedLogo;

  /** @param shared attachments that several messages carry with identical bytes, a PNG among them */
  MessageComposer(List<Attachment> shared) {
    this.shared = List.copyOf(shared);
    this.sharedLogo = shared.stream().filter(a -> a.contentType().equals("image/png")).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("the shared attachments need a PNG, got " + shared));
  }

  byte[] compose(MessageSpec spec) {
    SplittableRandom rng = new SplittableRandom(spec.contentSeed());
    MimeOutput out = new MimeOutput(spec.crlf(), spec.targetBytes() + 16 * 1024);
    headers(out, spec, rng);
    int budget = Math.max(200, spec.targetBytes() - out.size());
    switch (spec.kind()) {
      case PLAIN_7BIT -> plain(out, spec, rng, Cte.SEVEN_BIT, budget);
      case PLAIN_8BIT -> plain(out, spec, rng, Cte.EIGHT_BIT, budget);
      case PLAIN_QP -> plain(out, spec, rng, Cte.QUOTED_PRINTABLE, budget);
      case PLAIN_BASE64 -> plain(out, spec, rng, Cte.BASE64, budget);
      case ALTERNATIVE -> {
        String text = letter(spec, rng, budget * 0.45 / qpFactor(spec.language()));
        alternative(spec, rng, text, Optional.empty()).write(out);
      }
      case MIXED, NESTED -> mixed(out, spec, rng, budget);
    }
    return out.toByteArray();
  }

  private void headers(MimeOutput out, MessageSpec spec, SplittableRandom rng) {
    String date = RFC_5322_DATE.format(spec.date().atOffset(spec.zone()));
    Person owner = spec.owner();
    Person from = spec.from();
    EncodedWords enc = spec.headerEncoding();
    if (spec.incoming()) {
      String relay = "mail." + from.domain();
      out.header("Return-Path", "<" + from.address() + ">");
      out.header("Delivered-To", owner.address());
      out.header("Received", "from " + relay + " (" + relay + " [192.0.2." + (1 + rng.nextInt(254))
          + "]) by mx." + owner.domain() + " (Postfix) with ESMTPS id "
          + Long.toHexString(rng.nextLong()).toUpperCase(Locale.ROOT) + " for <" + owner.address()
          + ">; " + date);
    }
    out.header("Date", date);
    out.header("From", address(from, enc));
    out.header("To", addresses(spec.to(), enc));
    if (!spec.cc().isEmpty()) {
      out.header("Cc", addresses(spec.cc(), enc));
    }
    String subject = spec.subject();
    out.header("Subject", EncodedWords.isAscii(subject) ? subject
        : enc.canEncode(subject) ? enc.encode(subject) : EncodedWords.B_UTF8.encode(subject));
    spec.messageId().ifPresent(id -> out.header("Message-ID", id));
    spec.inReplyTo().ifPresent(id -> {
      out.header("In-Reply-To", id);
      out.header("References", id);
    });
    if (from.address().startsWith("newsletter@")) {
      out.header("List-Unsubscribe", "<mailto:unsubscribe@" + from.domain() + "?subject="
          + Long.toHexString(rng.nextLong()) + ">");
    }
    String agent = AGENTS.get(rng.nextInt(AGENTS.size()));
    out.header(agent.substring(0, agent.indexOf(':')), agent.substring(agent.indexOf(':') + 2));
    out.header("MIME-Version", "1.0");
  }

  private static String address(Person p, EncodedWords enc) {
    return enc.phrase(p.name()) + " <" + p.address() + ">";
  }

  private static String addresses(List<Person> people, EncodedWords enc) {
    List<String> out = new ArrayList<>(people.size());
    for (Person p : people) {
      out.add(address(p, enc));
    }
    return String.join(", ", out);
  }

  private static String letter(MessageSpec spec, SplittableRandom rng, double approxBytes) {
    String to = spec.to().get(0).name();
    int space = to.indexOf(' ');
    return spec.language().letter(rng, space > 0 ? to.substring(0, space) : to, spec.from().name(),
        (int) Math.max(40, approxBytes - 120));
  }

  /** About how many encoded bytes a text byte of this language becomes in quoted-printable. */
  private static double qpFactor(Language language) {
    return switch (language) {
      case ENGLISH -> 1.02;
      case GERMAN, FRENCH -> 1.15;
      case JAPANESE -> 3.05;
    };
  }

  private void plain(MimeOutput out, MessageSpec spec, SplittableRandom rng, Cte cte, int budget) {
    double factor = switch (cte) {
      case SEVEN_BIT, EIGHT_BIT -> 1.0;
      case QUOTED_PRINTABLE -> qpFactor(spec.language());
      case BASE64 -> BASE64;
    };
    String text = letter(spec, rng, budget / factor);
    Charset cs = StandardCharsets.UTF_8;
    if (cte == Cte.EIGHT_BIT && EncodedWords.isAscii(text.replace('\n', ' '))) {
      text = text + SIGNATURE_8BIT + "\n";
    } else if (cte == Cte.SEVEN_BIT) {
      cs = StandardCharsets.US_ASCII;
    } else if (cte == Cte.QUOTED_PRINTABLE && spec.language().latin1() && rng.nextBoolean()) {
      cs = StandardCharsets.ISO_8859_1;
    }
    textPart("plain", text, cs, cte).write(out);
  }

  private static Part textPart(String subtype, String text, Charset cs, Cte cte) {
    return out -> {
      out.header("Content-Type", "text/" + subtype + "; charset=" + cs.name().toLowerCase(Locale.ROOT));
      out.header("Content-Transfer-Encoding", cte.token);
      out.endHeaders();
      switch (cte) {
        case SEVEN_BIT, EIGHT_BIT -> out.text(text, cs);
        case QUOTED_PRINTABLE -> out.quotedPrintable(text, cs);
        case BASE64 -> out.base64(text.getBytes(cs));
      }
    };
  }

  /** text/plain and text/html of the same letter; the html as multipart/related with an image if given. */
  private Part alternative(MessageSpec spec, SplittableRandom rng, String text, Optional<Attachment> image) {
    Cte textCte = EncodedWords.isAscii(text.replace('\n', ' ')) && rng.nextBoolean() ? Cte.SEVEN_BIT
        : Cte.QUOTED_PRINTABLE;
    Charset textCs = textCte == Cte.SEVEN_BIT ? StandardCharsets.US_ASCII : StandardCharsets.UTF_8;
    String cid = "part" + Long.toHexString(rng.nextLong()) + "@" + spec.from().domain();
    String html = html(spec.subject(), text, image.map(i -> cid));
    Part htmlPart = textPart("html", html, StandardCharsets.UTF_8, Cte.QUOTED_PRINTABLE);
    Part second = image.isEmpty() ? htmlPart : multipart(rng, "related", "; type=\"text/html\"",
        List.of(htmlPart, inline(image.get(), cid)));
    return multipart(rng, "alternative", "", List.of(textPart("plain", text, textCs, textCte), second));
  }

  private void mixed(MimeOutput out, MessageSpec spec, SplittableRandom rng, int budget) {
    SizeClass size = spec.sizeClass();
    boolean big = size == SizeClass.LARGE || size == SizeClass.HUGE;
    double textBytes = Math.min(budget * 0.25, 1200 + rng.nextInt(2000));
    List<Attachment> attachments = new ArrayList<>();
    Optional<Attachment> image = Optional.empty();
    Part body;
    if (spec.kind() == BodyKind.NESTED) {
      image = Optional.of(rng.nextBoolean() ? sharedLogo
          : Attachment.create(rng, Kind.PNG, 800 + rng.nextInt(3000)));
      body = alternative(spec, rng, letter(spec, rng, textBytes / 2.2), image);
    } else {
      Cte cte = spec.language() == Language.ENGLISH && rng.nextBoolean() ? Cte.SEVEN_BIT
          : Cte.QUOTED_PRINTABLE;
      body = textPart("plain", letter(spec, rng, textBytes / qpFactor(spec.language())),
          cte == Cte.SEVEN_BIT ? StandardCharsets.US_ASCII : StandardCharsets.UTF_8, cte);
    }
    double rest = budget - textBytes - image.map(i -> i.data().length * BASE64 + 400).orElse(0.0);
    if (big) {
      Kind kind = size == SizeClass.HUGE ? (rng.nextBoolean() ? Kind.PDF : Kind.ZIP)
          : List.of(Kind.PDF, Kind.PNG, Kind.ZIP).get(rng.nextInt(3));
      attachments.add(Attachment.create(rng, kind, (int) ((rest - 500) / BASE64)));
      if (rng.nextInt(10) < 3) {
        attachments.add(shared.get(rng.nextInt(shared.size())));
      }
    } else {
      int count = 1 + rng.nextInt(3);
      int each = (int) Math.max(200, (rest - 350.0 * count) / count / BASE64);
      for (int i = 0; i < count; i++) {
        attachments.add(rng.nextInt(5) == 0 ? shared.get(rng.nextInt(shared.size()))
            : Attachment.create(rng, Kind.values()[rng.nextInt(Kind.values().length)], each));
      }
    }
    List<Part> parts = new ArrayList<>();
    parts.add(body);
    for (Attachment a : attachments) {
      parts.add(attachment(a, "attachment", Optional.empty()));
    }
    multipart(rng, "mixed", "", parts).write(out);
  }

  private static Part inline(Attachment image, String cid) {
    return attachment(image, "inline", Optional.of(cid));
  }

  private static Part attachment(Attachment a, String disposition, Optional<String> cid) {
    return out -> {
      String name = a.fileName();
      boolean ascii = EncodedWords.isAscii(name);
      out.header("Content-Type", a.contentType() + "; name=\""
          + (ascii ? name : EncodedWords.B_UTF8.encode(name)) + "\"");
      out.header("Content-Transfer-Encoding", "base64");
      cid.ifPresent(id -> out.header("Content-ID", "<" + id + ">"));
      out.header("Content-Disposition", disposition + "; "
          + (ascii ? "filename=\"" + name + "\"" : "filename*=" + EncodedWords.rfc2231(name)));
      out.endHeaders();
      out.base64(a.data());
    };
  }

  private static Part multipart(SplittableRandom rng, String subtype, String params, List<Part> parts) {
    String boundary = "----=_Part_" + Long.toHexString(rng.nextLong()) + "_" + subtype;
    return out -> {
      out.header("Content-Type", "multipart/" + subtype + "; boundary=\"" + boundary + "\"" + params);
      out.endHeaders();
      out.line("This is a multi-part message in MIME format.");
      for (Part p : parts) {
        out.line("--" + boundary);
        p.write(out);
      }
      out.line("--" + boundary + "--");
    };
  }

  private static String html(String title, String text, Optional<String> imageCid) {
    StringBuilder h = new StringBuilder(text.length() * 11 / 10 + 400);
    h.append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>")
        .append(escape(title)).append("</title>\n</head>\n<body style=\"font-family: Arial, sans-serif;\">\n");
    imageCid.ifPresent(cid -> h.append("<p><img src=\"cid:").append(cid).append("\" alt=\"logo\"></p>\n"));
    for (String para : text.split("\n\n")) {
      if (!para.isBlank()) {
        h.append("<p>").append(escape(para.strip()).replace("\n", "<br>\n")).append("</p>\n");
      }
    }
    return h.append("</body>\n</html>\n").toString();
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
