package io.mailops.archiver;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The context class loader of the ingest workers: it delegates everything to its parent but
 * remembers the answers to {@link #getResources}. Jakarta Mail looks its {@code StreamProvider}
 * up through {@link java.util.ServiceLoader} for every header block, body part and decoder it
 * makes, and each lookup asks every jar of the class path for {@code META-INF/services/…}; with
 * the command line's hundred-odd jars that was a tenth of the ingest CPU time. The jars do not
 * change while the process runs. Thread-safe.
 */
final class ServiceLookupLoader extends ClassLoader {

  static {
    registerAsParallelCapable();
  }

  private final Map<String, List<URL>> resources = new ConcurrentHashMap<>();

  ServiceLookupLoader(ClassLoader parent) {
    super(parent);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    List<URL> urls = resources.get(name);
    if (urls == null) {
      urls = List.copyOf(Collections.list(getParent().getResources(name)));
      resources.put(name, urls);
    }
    return Collections.enumeration(urls);
  }
}
