package io.mailops.backup.interop;

import io.mailops.backup.ftp.FtpSettings;
import io.mailops.backup.ftp.FtpTarget;
import io.mailops.storage.interop.DovecotServer;
import io.mailops.storage.interop.InteropEnv;
import io.mailops.storage.maildir.MaildirLayout;
import io.mailops.storage.maildir.MaildirStore;
import io.mailops.storage.model.AccountId;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The real Dovecot and vsftpd of {@code scripts/interop/all.sh start DIR} as the backup ITs use
 * them: the dedicated {@code BACKUP_USERS} of {@code dovecot.env} (kept out of {@code USERS}, so
 * no other IT writes to them) with {@code doveadm} and the Maildirs of {@link DovecotServer}, the
 * Maildirs as stores, and an {@link FtpTarget} over explicit FTPS below a fresh directory of the
 * FTP home.
 */
final class InteropServers extends DovecotServer {

  private final Map<String, String> ftp;

  private InteropServers(DovecotServer dovecot, Map<String, String> ftp) {
    super(dovecot);
    this.ftp = ftp;
  }

  static InteropServers load() throws IOException {
    DovecotServer d = DovecotServer.load("BACKUP_USERS");
    Map<String, String> f = InteropEnv.read("vsftpd", "FTP_HOST", "FTP_PORT", "FTP_USER",
        "FTP_PASSWORD", "FTP_ROOT", "FTP_CERT");
    return new InteropServers(d, f);
  }

  /** All accounts of the harness, as Dovecot lays them out. */
  MaildirStore vmailStore() {
    return new MaildirStore(vmail(), MaildirLayout.standard(), MaildirStore.Settings.defaults());
  }

  /**
   * The Maildir of {@code physical} as a store that holds only {@code logical}: a restore of
   * {@code logical}'s set appends into {@code physical}'s Maildir.
   */
  MaildirStore storeAs(AccountId physical, AccountId logical) {
    return new MaildirStore(maildir(physical), new MaildirLayout("", logical.domain(), logical),
        MaildirStore.Settings.defaults());
  }

  /** FTPS (explicit, the harness CA) below {@code dir} of the FTP home. */
  FtpTarget ftpTarget(String dir) throws IOException {
    FtpSettings s = FtpSettings.parse("ftps://" + ftp.get("FTP_USER") + "@" + ftp.get("FTP_HOST")
            + ":" + ftp.get("FTP_PORT") + "/" + dir)
        .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60))
        .withRetries(3, Duration.ofMillis(200))
        .withCaFile(Path.of(ftp.get("FTP_CERT")));
    return new FtpTarget(s, () -> ftp.get("FTP_PASSWORD").toCharArray());
  }

  /** The directory {@code dir} of the FTP home on disk. */
  Path ftpDir(String dir) {
    return Path.of(ftp.get("FTP_ROOT"), dir);
  }
}
