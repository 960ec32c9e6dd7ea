package io.mailops.storage.sample;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The languages sample mail is written in, each with its words, subjects, greeting and closing.
 * English text is pure ASCII; German and French need Latin-1; Japanese needs UTF-8. Text is
 * made of whole sentences wrapped at 72 columns (Japanese at 36 characters), paragraphs
 * separated by an empty line, {@code "\n"} line ends.
 */
enum Language {
  ENGLISH(" ", "Hi %s,", "Best regards,", List.of("the", "project", "meeting", "report",
      "budget", "customer", "server", "deadline", "team", "update", "release", "backup",
      "invoice", "schedule", "review", "draft", "proposal", "quarter", "numbers", "migration",
      "mailbox", "storage", "please", "check", "send", "confirm", "tomorrow", "today", "next",
      "week", "attached", "document", "version", "changes", "issue", "ticket", "support",
      "network", "office", "travel", "lunch", "agenda", "notes", "summary", "question", "answer",
      "plan", "status", "final", "new", "old", "important", "quick", "small", "large", "all",
      "we", "you", "they", "should", "will", "can", "might", "need", "have", "about", "for",
      "with", "and", "but", "after", "before", "during", "our", "your", "their", "this", "that"),
      List.of("Meeting notes %d", "Quarterly report Q%d", "Invoice %d", "Budget for %d",
          "Server maintenance window %d", "Your ticket #%d has been updated", "Lunch on Friday?",
          "Release %d.0 planning", "Backup report for job %d", "Weekly status update %d",
          "Travel request %d", "Please review: proposal v%d", "Reminder: deadline in %d days",
          "Newsletter %d: what's new this month", "Welcome to the team!")),
  GERMAN(" ", "Hallo %s,", "Viele Grüße", List.of("Grüße", "für", "Übersicht", "Änderung",
      "möglich", "Größe", "Prüfung", "Bestätigung", "Rückmeldung", "Besprechung", "nächste",
      "Woche", "Termin", "Projekt", "Straße", "schön", "natürlich", "über", "wäre", "können",
      "müssen", "Bericht", "Angebot", "Rechnung", "bitte", "danke", "heute", "morgen", "wir",
      "Sie", "und", "oder", "aber", "die", "der", "das", "mit", "ohne", "Kunde", "Büro", "Zahlen",
      "Quartal", "Entwurf", "Ergebnis", "Frühstück", "Mittagessen", "gemäß", "zurück", "schließlich"),
      List.of("Übersicht der Projekte %d", "Rückfrage zur Rechnung %d", "Besprechung am Montag",
          "Grüße aus München", "Änderungen im Entwurf %d", "Bestätigung Ihrer Bestellung %d",
          "Zahlen für Q%d", "Frühstück im Büro")),
  FRENCH(" ", "Bonjour %s,", "Cordialement,", List.of("réunion", "équipe", "déjà", "été", "à",
      "très", "bientôt", "problème", "préparé", "café", "crème", "garçon", "Noël", "où", "naïve",
      "le", "la", "les", "nous", "vous", "avec", "pour", "dans", "projet", "rapport", "semaine",
      "prochaine", "merci", "demain", "aujourd'hui", "résumé", "élève", "fenêtre", "hôtel"),
      List.of("Réunion de l'équipe %d", "Résumé de la semaine %d", "Café demain ?",
          "Problème réglé, déjà !")),
  JAPANESE("", "%sさん", "よろしくお願いいたします。", List.of("会議は金曜日の午後三時からです。",
      "資料を添付しましたのでご確認ください。", "来週の予定を教えてください。", "東京の天気は晴れです。",
      "サーバーの移行が完了しました。", "報告書を確認しました。", "ありがとうございます。",
      "明日までに返信をお願いします。", "新しいバージョンをリリースしました。"),
      List.of("会議の議事録 %d", "週報 %d", "お知らせ：サーバー移行", "日本語のテスト"));

  private final String separator;
  private final String greeting;
  private final String closing;
  private final List<String> words;
  private final List<String> subjects;

  Language(String separator, String greeting, String closing, List<String> words,
      List<String> subjects) {
    this.separator = separator;
    this.greeting = greeting;
    this.closing = closing;
    this.words = words;
    this.subjects = subjects;
  }

  /** Whether ISO-8859-1 can hold every text of this language. */
  boolean latin1() {
    return this != JAPANESE;
  }

  /** A subject line, some with a number in it. */
  String subject(SplittableRandom rng) {
    String s = subjects.get(rng.nextInt(subjects.size()));
    return s.contains("%d") ? s.replace("%d", String.valueOf(1 + rng.nextInt(9999))) : s;
  }

  /**
   * A letter of about {@code approxBytes} bytes in UTF-8 (at least one sentence): greeting,
   * paragraphs, closing and signature.
   */
  String letter(SplittableRandom rng, String to, String from, int approxBytes) {
    StringBuilder b = new StringBuilder(Math.max(64, approxBytes + 200));
    b.append(String.format(greeting, to)).append("\n\n");
    int bytes = 0;
    do {
      String para = paragraph(rng);
      b.append(para).append("\n\n");
      bytes += utf8Length(para) + 2;
    } while (bytes < approxBytes);
    b.append(closing).append('\n').append(from).append('\n');
    return b.toString();
  }

  /** One paragraph of 2..5 sentences, wrapped. */
  String paragraph(SplittableRandom rng) {
    StringBuilder p = new StringBuilder(400);
    int sentences = 2 + rng.nextInt(4);
    for (int s = 0; s < sentences; s++) {
      if (s > 0) {
        p.append(separator);
      }
      if (this == JAPANESE) {
        p.append(words.get(rng.nextInt(words.size())));
        continue;
      }
      int n = 5 + rng.nextInt(11);
      for (int w = 0; w < n; w++) {
        String word = words.get(rng.nextInt(words.size()));
        if (w == 0) {
          word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
        } else {
          p.append(' ');
        }
        p.append(word);
      }
      p.append(rng.nextInt(8) == 0 ? '?' : '.');
    }
    return wrap(p.toString());
  }

  private String wrap(String text) {
    StringBuilder out = new StringBuilder(text.length() + text.length() / 60 + 2);
    if (this == JAPANESE) {
      for (int i = 0; i < text.length(); i += 36) {
        out.append(i == 0 ? "" : "\n").append(text, i, Math.min(text.length(), i + 36));
      }
      return out.toString();
    }
    int col = 0;
    for (String word : text.split(" ")) {
      if (col > 0 && col + 1 + word.length() > 72) {
        out.append('\n');
        col = 0;
      } else if (col > 0) {
        out.append(' ');
        col++;
      }
      out.append(word);
      col += word.length();
    }
    return out.toString();
  }

  static int utf8Length(CharSequence s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      n += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
    return n;
  }
}
