package io.mailops.archiver;

import io.mailops.archiver.index.ArchiveIndex;
import io.mailops.archiver.index.MessageDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A test {@link ArchiveIndex}: documents in a map, written to {@code docs.json} in its directory
 * at each commit (so the archive has an index file to hash), matched by substring: every
 * criterion value and the query must occur in subject, body, from or to.
 */
final class InMemoryIndex implements ArchiveIndex {

  static final IndexFactory FACTORY = InMemoryIndex::open;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path file;
  private final Map<String, MessageDocument> committed = new LinkedHashMap<>();
  private final Map<String, MessageDocument> pending = new LinkedHashMap<>();

  private InMemoryIndex(Path dir) {
    this.file = dir.resolve("docs.json");
  }

  static InMemoryIndex open(Path dir) throws IOException {
    Files.createDirectories(dir);
    InMemoryIndex i = new InMemoryIndex(dir);
    if (Files.exists(i.file)) {
      for (MessageDocument d : JSON.readValue(Files.readAllBytes(i.file), MessageDocument[].class)) {
        i.committed.put(d.id(), d);
      }
    }
    i.pending.putAll(i.committed);
    return i;
  }

  @Override
  public synchronized void add(MessageDocument document) {
    pending.put(document.id(), document);
  }

  @Override
  public synchronized void delete(Collection<String> ids) {
    ids.forEach(pending::remove);
  }

  @Override
  public synchronized void commit() throws IOException {
    committed.clear();
    committed.putAll(pending);
    Files.write(file, JSON.writeValueAsBytes(new ArrayList<>(committed.values())));
  }

  @Override
  public synchronized List<Hit> search(SearchRequest request) {
    List<String> needles = new ArrayList<>();
    request.criteria().forEach(c -> needles.add(c.value()));
    if (request.query() != null) {
      needles.addAll(Arrays.asList(request.query().split("\\s+")));
    }
    return committed.values().stream()
        .filter(d -> needles.stream().allMatch(n -> text(d).contains(n.toLowerCase(Locale.ROOT))))
        .sorted(Comparator.comparing(MessageDocument::date).reversed())
        .limit(request.limit())
        .map(d -> new Hit(d.id(), d.messageId(), d.date(), d.from(), d.to(), d.cc(), d.subject(),
            d.size()))
        .toList();
  }

  private static String text(MessageDocument d) {
    return (d.subject() + " " + d.body() + " " + d.from() + " " + d.to())
        .toLowerCase(Locale.ROOT);
  }

  @Override
  public synchronized long count() {
    return committed.size();
  }

  @Override
  public void close() {}
}
