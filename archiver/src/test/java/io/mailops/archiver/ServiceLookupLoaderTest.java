package io.mailops.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.util.StreamProvider;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ServiceLookupLoaderTest {

  private static final String STREAM_PROVIDER = "META-INF/services/" + StreamProvider.class
      .getName();

  @Test
  void serviceFilesShouldBeServedWithTheContentOfTheJarsAndTheSameNames() throws Exception {
    ClassLoader parent = getClass().getClassLoader();
    ServiceLookupLoader loader = new ServiceLookupLoader(parent);

    List<URL> original = Collections.list(parent.getResources(STREAM_PROVIDER));
    List<URL> cached = Collections.list(loader.getResources(STREAM_PROVIDER));

    assertThat(original).isNotEmpty();
    assertThat(cached).extracting(URL::toExternalForm)
        .isEqualTo(original.stream().map(URL::toExternalForm).toList());
    for (int i = 0; i < original.size(); i++) {
      assertThat(read(cached.get(i))).isEqualTo(read(original.get(i)));
      assertThat(read(cached.get(i))).as("read twice").isEqualTo(read(original.get(i)));
    }
  }

  @Test
  void jakartaMailShouldFindItsStreamProviderThroughTheLoaderAgainAndAgain() {
    ServiceLookupLoader loader = new ServiceLookupLoader(getClass().getClassLoader());
    List<String> first = providers(loader);
    List<String> second = providers(loader);

    assertThat(first).isNotEmpty().isEqualTo(providers(getClass().getClassLoader()));
    assertThat(second).isEqualTo(first);
  }

  private static List<String> providers(ClassLoader loader) {
    List<String> names = new ArrayList<>();
    for (StreamProvider p : ServiceLoader.load(StreamProvider.class, loader)) {
      names.add(p.getClass().getName());
    }
    return names;
  }

  private static byte[] read(URL u) throws Exception {
    var c = u.openConnection();
    c.setUseCaches(false);
    try (InputStream in = c.getInputStream()) {
      return in.readAllBytes();
    }
  }
}
