package io.mailops.archiver.index;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;

/**
 * The Lucene field layout of the archive index: names, the analyzer per field, and how a
 * {@link MessageDocument} becomes a Lucene {@link Document}.
 *
 * <p>Address fields ({@code from, to, cc, bcc, envelope}) hold each address as three lower-case
 * keywords: the whole address, its local part and its domain. {@code participant} holds the whole
 * address of the sender and of every recipient (Bcc and envelope included) for user scoping. The
 * body is indexed but not stored; only what a {@link ArchiveIndex.Hit} shows is stored.
 */
final class IndexFields {

  static final String ID = "id";
  static final String MESSAGE_ID = "message_id";
  static final String DATE = "date";
  static final String SIZE = "size";
  static final String FROM = "from";
  static final String TO = "to";
  static final String CC = "cc";
  static final String BCC = "bcc";
  static final String ENVELOPE = "envelope";
  static final String PARTICIPANT = "participant";
  static final String SUBJECT = "subject";
  static final String SUBJECT_EXACT = "subject_exact";
  static final String BODY = "body";
  static final String ATTACHMENT = "attachment";
  static final String ATTACHMENT_NAME = "attachment_name";
  static final String TYPE = "type";
  static final String SOURCE = "source";

  /** Keyword fields: one lower-cased token per value. */
  static final Set<String> KEYWORDS = Set.of(ID, MESSAGE_ID, FROM, TO, CC, BCC, ENVELOPE,
      PARTICIPANT, SUBJECT_EXACT, ATTACHMENT_NAME, TYPE, SOURCE);

  private static final Pattern NAME_SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");

  /** Longest exact subject or keyword kept (longer values are cut to this many characters). */
  static final int MAX_KEYWORD_CHARS = 256;

  private IndexFields() {}

  /**
   * Standard analysis for subject and body; attachment names split at every character that is
   * not a letter or digit ({@code report-q1.pdf} gives report, q1, pdf); one lower-cased keyword
   * for the keyword fields.
   */
  static Analyzer analyzer() {
    Analyzer keyword = new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        KeywordTokenizer tokenizer = new KeywordTokenizer();
        return new TokenStreamComponents(tokenizer, new LowerCaseFilter(tokenizer));
      }

      @Override
      protected TokenStream normalize(String fieldName, TokenStream in) {
        return new LowerCaseFilter(in);
      }
    };
    Analyzer fileName = new Analyzer() {
      @Override
      protected TokenStreamComponents createComponents(String fieldName) {
        PatternTokenizer tokenizer = new PatternTokenizer(NAME_SEPARATORS, -1);
        return new TokenStreamComponents(tokenizer, new LowerCaseFilter(tokenizer));
      }

      @Override
      protected TokenStream normalize(String fieldName, TokenStream in) {
        return new LowerCaseFilter(in);
      }
    };
    Map<String, Analyzer> perField = new HashMap<>();
    for (String field : KEYWORDS) {
      perField.put(field, keyword);
    }
    perField.put(ATTACHMENT, fileName);
    return new PerFieldAnalyzerWrapper(new StandardAnalyzer(), perField);
  }

  /** Lower case, cut to {@link #MAX_KEYWORD_CHARS}. */
  static String keyword(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    return v.length() > MAX_KEYWORD_CHARS ? v.substring(0, MAX_KEYWORD_CHARS) : v;
  }

  /** The whole address, its local part and its domain (the last two only when non-empty). */
  static Set<String> addressForms(String address) {
    String whole = keyword(address);
    Set<String> forms = new LinkedHashSet<>();
    if (whole.isEmpty()) {
      return forms;
    }
    forms.add(whole);
    int at = whole.lastIndexOf('@');
    if (at > 0) {
      forms.add(whole.substring(0, at));
    }
    if (at >= 0 && at < whole.length() - 1) {
      forms.add(whole.substring(at + 1));
    }
    return forms;
  }

  static Document toDocument(MessageDocument m) {
    Document doc = new Document();
    doc.add(new StringField(ID, m.id(), Field.Store.YES));
    doc.add(new StringField(MESSAGE_ID, keyword(m.messageId()), Field.Store.NO));
    doc.add(new StoredField(MESSAGE_ID, m.messageId()));
    long millis = m.date().toEpochMilli();
    doc.add(new LongPoint(DATE, millis));
    doc.add(new NumericDocValuesField(DATE, millis));
    doc.add(new StoredField(DATE, millis));
    doc.add(new LongPoint(SIZE, m.size()));
    doc.add(new StoredField(SIZE, m.size()));
    addAddresses(doc, FROM, m.from(), true);
    addAddresses(doc, TO, m.to(), true);
    addAddresses(doc, CC, m.cc(), true);
    addAddresses(doc, BCC, m.bcc(), false);
    addAddresses(doc, ENVELOPE, m.envelopeTo(), false);
    Set<String> participants = new LinkedHashSet<>();
    for (List<String> list : List.of(m.from(), m.to(), m.cc(), m.bcc(), m.envelopeTo())) {
      for (String address : list) {
        participants.add(keyword(address));
      }
    }
    for (String participant : participants) {
      if (!participant.isEmpty()) {
        doc.add(new StringField(PARTICIPANT, participant, Field.Store.NO));
      }
    }
    doc.add(new TextField(SUBJECT, m.subject(), Field.Store.YES));
    doc.add(new StringField(SUBJECT_EXACT, keyword(m.subject()), Field.Store.NO));
    doc.add(new TextField(BODY, m.body(), Field.Store.NO));
    for (MessageDocument.Attachment attachment : m.attachments()) {
      if (!attachment.name().isBlank()) {
        doc.add(new TextField(ATTACHMENT, attachment.name(), Field.Store.NO));
        doc.add(new StringField(ATTACHMENT_NAME, keyword(attachment.name()), Field.Store.NO));
      }
      doc.add(new StringField(TYPE, keyword(attachment.type()), Field.Store.NO));
    }
    doc.add(new StringField(SOURCE, keyword(m.source()), Field.Store.NO));
    return doc;
  }

  private static void addAddresses(Document doc, String field, List<String> addresses,
      boolean stored) {
    for (String address : addresses) {
      for (String form : addressForms(address)) {
        doc.add(new StringField(field, form, Field.Store.NO));
      }
      if (stored) {
        doc.add(new StoredField(field, address));
      }
    }
  }
}
