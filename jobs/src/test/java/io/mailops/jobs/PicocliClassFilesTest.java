package io.mailops.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The picocli on the class path is ours, built for Java 17 (third-party/picocli, ADR 0031): the
 * upstream jar's Java 5 class files cannot go into the class-data archives {@code bin/mailops}
 * trains, and run through the old verifier on every command.
 */
class PicocliClassFilesTest {

  @Test
  void picocliIsJava17ClassFiles() throws IOException {
    for (Class<?> c : new Class<?>[] {CommandLine.class, CommandLine.Model.CommandSpec.class,
        CommandLine.Help.class}) {
      try (InputStream in = c.getResourceAsStream(
          c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class")) {
        assertNotNull(in, c.getName());
        DataInputStream data = new DataInputStream(in);
        assertEquals(0xCAFEBABE, data.readInt(), c.getName());
        data.readUnsignedShort(); // minor
        // 61 = Java 17; class-data archives take 50 (Java 6) and newer
        assertEquals(61, data.readUnsignedShort(), c.getName() + " from " + where(c));
      }
    }
  }

  @Test
  void itsJarCarriesPicocliLicenseAndNotice() throws IOException {
    String jar = where(CommandLine.class);
    // the module's jar, or its target/classes when a build stops before packaging
    assertTrue(jar.contains("picocli-java17") || jar.contains("third-party/picocli/"), jar);
    String notice = read("META-INF/NOTICE", jar);
    assertTrue(notice.startsWith("picocli " + CommandLine.VERSION + "\nCopyright 2017 Remko Popma"),
        notice);
    assertTrue(read("META-INF/LICENSE", jar)
        .contains("Apache License\n                           Version 2.0, January 2004"));
  }

  private static String where(Class<?> c) {
    return c.getProtectionDomain().getCodeSource().getLocation().toString();
  }

  /** The resource of that name in picocli's own jar (other jars have a NOTICE too). */
  private static String read(String name, String jar) throws IOException {
    var all = CommandLine.class.getClassLoader().getResources(name);
    while (all.hasMoreElements()) {
      URL u = all.nextElement();
      if (u.toString().contains(jar.replaceFirst("^file:", ""))) {
        try (InputStream in = u.openStream()) {
          return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    throw new AssertionError(name + " not in " + jar);
  }
}
