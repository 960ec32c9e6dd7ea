package io.mailops.archiver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The context class loader of the ingest workers: it delegates everything to its parent but
 * remembers the answers to {@link #getResources} and, for service files ({@code
 * META-INF/services/…}), their content. Jakarta Mail looks its {@code StreamProvider} up through
 * {@link java.util.ServiceLoader} for every header block, body part and decoder it makes: each
 * lookup asked every jar of the class path for the service file (a tenth of the ingest CPU with
 * the command line's hundred-odd jars), then opened each file found with {@code useCaches}
 * off, which opens its jar anew and inflates the jar's manifest every time (another tenth, and
 * seconds of C2 compilation). The jars do not change while the process runs, so a service file
 * is read once and its URL here serves the bytes from memory. {@code bin/mailops} names the
 * provider for {@code archive} commands ({@code -Djakarta.mail.util.StreamProvider}, which Jakarta
 * Mail reads before it tries {@code ServiceLoader}; ADR 0027), so there this cache is rarely
 * reached; other entry points still need it. Thread-safe.
 */
final class ServiceLookupLoader extends ClassLoader {

  static {
    registerAsParallelCapable();
  }

  private static final String SERVICES = "META-INF/services/";

  private final Map<String, List<URL>> resources = new ConcurrentHashMap<>();

  ServiceLookupLoader(ClassLoader parent) {
    super(parent);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    List<URL> urls = resources.get(name);
    if (urls == null) {
      urls = List.copyOf(Collections.list(getParent().getResources(name)));
      if (name.startsWith(SERVICES)) {
        urls = inMemory(urls);
      }
      resources.put(name, urls);
    }
    return Collections.enumeration(urls);
  }

  /** URLs serving the current content of {@code urls} from memory (same external form). */
  private static List<URL> inMemory(List<URL> urls) throws IOException {
    List<URL> copies = new ArrayList<>(urls.size());
    for (URL u : urls) {
      URLConnection c = u.openConnection();
      c.setUseCaches(false);
      byte[] content;
      try (InputStream in = c.getInputStream()) {
        content = in.readAllBytes();
      }
      copies.add(new URL(u.getProtocol(), u.getHost(), u.getPort(), u.getFile(),
          new Bytes(content)));
    }
    return List.copyOf(copies);
  }

  /** Opens a URL as a stream of fixed bytes. */
  private static final class Bytes extends URLStreamHandler {
    private final byte[] content;

    Bytes(byte[] content) {
      this.content = content;
    }

    @Override
    protected URLConnection openConnection(URL u) {
      return new URLConnection(u) {
        @Override
        public void connect() {
          connected = true;
        }

        @Override
        public InputStream getInputStream() {
          return new ByteArrayInputStream(content);
        }
      };
    }
  }
}
