import io.mailops.backup.ftp.FtpSettings;
import io.mailops.backup.ftp.FtpTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The cheapest upload of a set's files through mailops' own FTP stack (issue 4 floors): every
 * regular file under DIR (e.g. an incremental set as vsftpd stored it) is written with
 * FtpTarget.write (MKD once per directory, PASV, STOR on a resumed-TLS data connection) below
 * URI, by THREADS threads (each its own control connection). No scan, no manifests, no Spring.
 * usage: java -cp 'jobs/target/lib/*' bench/lib/floors/FtpFloor.java DIR URI PWFILE CAFILE THREADS
 */
public class FtpFloor {
  public static void main(String[] a) throws Exception {
    Path dir = Path.of(a[0]);
    FtpSettings s = FtpSettings.parse(a[1]).withCaFile(a[3].isEmpty() ? null : Path.of(a[3]));
    String pw = Files.readAllLines(Path.of(a[2])).get(0);
    int threads = Integer.parseInt(a[4]);
    List<Path> files;
    try (Stream<Path> w = Files.walk(dir)) {
      files = w.filter(Files::isRegularFile).sorted().toList();
    }
    List<byte[]> bytes = new ArrayList<>();
    for (Path p : files) {
      bytes.add(Files.readAllBytes(p));
    }
    long t0 = System.nanoTime();
    try (FtpTarget t = new FtpTarget(s, pw::toCharArray)) {
      ExecutorService ex = Executors.newFixedThreadPool(threads);
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> fs = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        fs.add(ex.submit(() -> {
          for (int k; (k = next.getAndIncrement()) < files.size(); ) {
            t.write(dir.relativize(files.get(k)).toString(), bytes.get(k), bytes.get(k).length);
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
      ex.shutdown();
    }
    System.out.printf("%d files with %d threads: %.3f s (upload only, after JVM start)%n",
        files.size(), threads, (System.nanoTime() - t0) / 1e9);
  }
}
