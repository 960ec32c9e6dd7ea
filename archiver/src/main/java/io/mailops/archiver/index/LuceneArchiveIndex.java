package io.mailops.archiver.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.IOUtils;

/**
 * The archive index on Apache Lucene, in one directory. One {@link IndexWriter} takes adds and
 * deletes; a {@link SearcherManager} over the last commit serves searches and is refreshed by
 * {@link #commit}, so searches and {@link #count} see exactly the committed messages. Merges
 * run in the thread that adds or commits ({@link SerialMergeScheduler}), never in the background,
 * so after {@link #commit} returns the directory holds exactly the committed files until the next
 * call (the archive hashes them into its index state).
 * Thread-safe. Only one process may open a directory at a time. {@link #close} commits what is
 * pending and releases the directory.
 *
 * <p>Field layout in {@link IndexFields}; criteria semantics in {@link Criteria}; query syntax in
 * {@link ArchiveQueryParser} (classic Lucene syntax, default field {@code body}, plus
 * {@code recipient}, {@code address}, {@code text} and ranges on {@code date} and
 * {@code size}).
 */
public final class LuceneArchiveIndex implements ArchiveIndex {

  private static final double RAM_BUFFER_MB = 64;
  private static final Sort NEWEST_FIRST =
      new Sort(new SortField(IndexFields.DATE, SortField.Type.LONG, true));

  private final Path dir;
  private final Directory directory;
  private final Analyzer analyzer;
  private final IndexWriter writer;
  private final SearcherManager searchers;

  private LuceneArchiveIndex(Path dir, Directory directory, Analyzer analyzer, IndexWriter writer,
      SearcherManager searchers) {
    this.dir = dir;
    this.directory = directory;
    this.analyzer = analyzer;
    this.writer = writer;
    this.searchers = searchers;
  }

  /**
   * Opens the index in {@code dir}, creating the directory and an empty index when there is none.
   *
   * @throws IOException when the directory cannot be created or read, or another process has it
   *     open
   */
  public static LuceneArchiveIndex open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Directory directory = FSDirectory.open(dir);
    Analyzer analyzer = IndexFields.analyzer();
    IndexWriter writer;
    try {
      IndexWriterConfig config = new IndexWriterConfig(analyzer)
          .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
          .setRAMBufferSizeMB(RAM_BUFFER_MB)
          .setMergeScheduler(new SerialMergeScheduler())
          .setCommitOnClose(true);
      writer = new IndexWriter(directory, config);
    } catch (LockObtainFailedException e) {
      directory.close();
      throw new IOException("archive index " + dir + " is open in another process (its"
          + " write.lock is held); stop that process or use another index directory", e);
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
    try {
      writer.commit();
      return new LuceneArchiveIndex(dir, directory, analyzer, writer,
          new SearcherManager(directory, null));
    } catch (IOException | RuntimeException e) {
      writer.close();
      directory.close();
      throw e;
    }
  }

  @Override
  public void add(MessageDocument document) throws IOException {
    writer.updateDocument(new Term(IndexFields.ID, document.id()),
        IndexFields.toDocument(document));
  }

  @Override
  public void delete(Collection<String> ids) throws IOException {
    if (ids.isEmpty()) {
      return;
    }
    Term[] terms = ids.stream().map(id -> new Term(IndexFields.ID, id)).toArray(Term[]::new);
    writer.deleteDocuments(terms);
  }

  @Override
  public void commit() throws IOException {
    // a commit can start merges (run right here); commit again until they are committed too, so
    // the directory holds exactly the files of the last commit
    do {
      writer.commit();
    } while (writer.hasUncommittedChanges());
    searchers.maybeRefreshBlocking();
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when a criterion or the query is invalid, there are more
   *     than {@link Criteria#MAX} criteria, or the limit is not positive (one-line message)
   */
  @Override
  public List<Hit> search(SearchRequest request) throws IOException {
    if (request.limit() <= 0) {
      throw new IllegalArgumentException("bad limit " + request.limit() + "; use 1 or more");
    }
    Query query = query(request);
    IndexSearcher searcher = searchers.acquire();
    try {
      TopFieldDocs top = searcher.search(query, request.limit(), NEWEST_FIRST);
      StoredFields stored = searcher.storedFields();
      List<Hit> hits = new ArrayList<>(top.scoreDocs.length);
      for (ScoreDoc sd : top.scoreDocs) {
        hits.add(hit(stored.document(sd.doc)));
      }
      return hits;
    } finally {
      searchers.release(searcher);
    }
  }

  @Override
  public long count() throws IOException {
    IndexSearcher searcher = searchers.acquire();
    try {
      return searcher.getIndexReader().numDocs();
    } finally {
      searchers.release(searcher);
    }
  }

  /**
   * Merges the index into one segment, commits and refreshes the searchers: smaller and faster to
   * search, for a "search" database that no longer changes or after a bulk ingest. Slow (it
   * rewrites the index) and needs up to twice the index size on disk while it runs.
   */
  public void compact() throws IOException {
    writer.forceMerge(1);
    commit();
  }

  /** The size in bytes of the files in the index directory now. */
  public long sizeOnDisk() throws IOException {
    long total = 0;
    for (String file : directory.listAll()) {
      try {
        total += directory.fileLength(file);
      } catch (NoSuchFileException e) {
        // removed by a merge while we listed: not part of the index any more
      }
    }
    return total;
  }

  /** Commits what is pending, then releases the directory. */
  @Override
  public void close() throws IOException {
    IOUtils.close(searchers, writer, analyzer, directory);
  }

  @Override
  public String toString() {
    return "LuceneArchiveIndex[" + dir + "]";
  }

  Query query(SearchRequest request) {
    Criteria.checkCount(request.criteria().size());
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    boolean empty = true;
    if (!request.criteria().isEmpty()) {
      BooleanQuery.Builder criteria = new BooleanQuery.Builder();
      BooleanClause.Occur occur = request.match() == Match.ANY
          ? BooleanClause.Occur.SHOULD : BooleanClause.Occur.MUST;
      for (Criterion c : request.criteria()) {
        criteria.add(SearchField.of(c.field()).query(c.op(), c.value(), analyzer), occur);
      }
      all.add(criteria.build(), BooleanClause.Occur.MUST);
      empty = false;
    }
    if (request.query() != null && !request.query().isBlank()) {
      all.add(new ArchiveQueryParser(analyzer).parseQuery(request.query()),
          BooleanClause.Occur.MUST);
      empty = false;
    }
    if (empty) {
      all.add(new MatchAllDocsQuery(), BooleanClause.Occur.MUST);
    }
    if (request.asUser() != null) {
      String user = IndexFields.keyword(request.asUser());
      if (user.isEmpty()) {
        throw new IllegalArgumentException("empty --as user; give an address such as"
            + " alice@example.com, or leave --as out to search all mail");
      }
      all.add(new TermQuery(new Term(IndexFields.PARTICIPANT, user)), BooleanClause.Occur.FILTER);
    }
    return all.build();
  }

  private static Hit hit(Document doc) {
    return new Hit(doc.get(IndexFields.ID), doc.get(IndexFields.MESSAGE_ID),
        Instant.ofEpochMilli(doc.getField(IndexFields.DATE).numericValue().longValue()),
        Arrays.asList(doc.getValues(IndexFields.FROM)), Arrays.asList(doc.getValues(IndexFields.TO)),
        Arrays.asList(doc.getValues(IndexFields.CC)), doc.get(IndexFields.SUBJECT),
        doc.getField(IndexFields.SIZE).numericValue().longValue());
  }
}
