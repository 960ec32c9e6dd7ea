package io.mailops.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Checks a set on its target. The quick check: the set manifest parses, every folder manifest
 * matches its size and SHA-256 and parses, every tar and control file it lists exists with its
 * size, and every file a message points to (in this set or an earlier one of the chain) exists.
 * The deep check also re-hashes every tar and control file and re-reads and re-hashes every
 * message. Problems are collected, each naming the file; nothing on the target is changed.
 * Sizes and SHA-256 sums are those of the stored bytes, so without the {@link #password(char[])}
 * an encrypted set still gets the checks of the files its set manifest lists (folder manifests
 * and tars); reading folder manifests and messages needs the password.
 */
public final class Verify {

  private final BackupTarget target;
  private SetKey.Cache keys;

  public Verify(BackupTarget target) {
    this.target = target;
  }

  /**
   * The password of encrypted sets (copied; {@code null}: none, the default). Returns {@code
   * this}.
   */
  public Verify password(char[] password) {
    this.keys = password == null ? null : new SetKey.Cache(password);
    return this;
  }

  /**
   * Verifies {@code setOrLatest} (a set id or {@code latest}).
   *
   * @throws BackupException if the set does not exist or its set manifest cannot be read (the
   *     report cannot be made), or the password given is wrong
   */
  public VerifyReport run(String setOrLatest, boolean deep) throws IOException {
    BackupSets sets = new BackupSets(target).keys(keys);
    SetId id = sets.resolve(setOrLatest);
    SetManifest set = sets.manifest(id);
    List<String> problems = new ArrayList<>();
    int files = 1;
    int messages = 0;
    if (set.encrypted() && !sets.hasPassword()) {
      for (FolderEntry f : set.folders()) {
        String base = id + "/" + f.dir() + "/";
        files++;
        check(f.manifestName(id.toString()), f.manifestSize(), f.manifestSha256(), true,
            problems);
        if (f.deltaBase() != null) {
          files++;
          check(f.deltaBaseName(), f.deltaBase().size(), f.deltaBase().sha256(), true, problems);
        }
        if (f.hasTar()) {
          files++;
          check(base + BackupSets.TAR, f.tarSize(), f.tarSha256(), deep, problems);
        }
      }
      if (deep) {
        problems.add("backup set " + id + " is encrypted; give the password to check its"
            + " messages (--encryption-password-file or MAILOPS_BACKUP_PASSWORD)");
      }
      return new VerifyReport(id.toString(), deep, files, messages, problems);
    }
    sets.key(id.toString()); // a wrong password fails here, not once per folder
    for (FolderEntry f : set.folders()) {
      String base = id + "/" + f.dir() + "/";
      FolderManifest fm;
      try {
        fm = sets.folder(id.toString(), f);
        files += f.deltaBase() == null ? 1 : 2;
      } catch (BackupException e) {
        problems.add(e.getMessage());
        continue;
      }
      if (f.hasTar()) {
        files++;
        check(base + BackupSets.TAR, f.tarSize(), f.tarSha256(), deep, problems);
      }
      for (ControlFile c : fm.controlFiles()) {
        files++;
        check(c.storedName(fm, f.dir()), c.size(), c.sha256(), deep, problems);
      }
      for (Map.Entry<String, MessageEntry> m : fm.messages().entrySet()) {
        MessageEntry me = m.getValue();
        messages++;
        OptionalLong size = target.size(me.location().file());
        if (size.isEmpty() || size.getAsLong() < me.location().offset() + me.location().length()) {
          problems.add("message " + m.getKey() + " of " + f.account() + "/" + f.folder()
              + " points into " + me.location().file() + ", which is missing or too short;"
              + " the chain is broken, take a new full backup");
          continue;
        }
        if (deep) {
          try {
            MessageDigest sha = TarFrames.sha256();
            long[] n = {0};
            OutputStream counting = new OutputStream() {
              @Override
              public void write(int b) {
                n[0]++;
              }

              @Override
              public void write(byte[] b, int off, int len) {
                n[0] += len;
              }
            };
            String got = TarFrames.copyEntry(target, me.location(), counting,
                sets.key(me.location().set()));
            if (!got.equals(me.sha256()) || n[0] != me.size()) {
              problems.add("message " + m.getKey() + " in " + me.location().file()
                  + " does not match its SHA-256/size in " + f.manifestName(id.toString())
                  + "; the tar is damaged, take a new full backup");
            }
          } catch (BackupException e) {
            problems.add(e.getMessage());
          }
        }
      }
    }
    return new VerifyReport(id.toString(), deep, files, messages, problems);
  }

  private void check(String name, long size, String sha256, boolean deep, List<String> problems)
      throws IOException {
    OptionalLong got = target.size(name);
    if (got.isEmpty()) {
      problems.add(name + " is missing; the set is incomplete, take a new backup");
      return;
    }
    if (got.getAsLong() != size) {
      problems.add(name + " has " + got.getAsLong() + " bytes, the manifest says " + size
          + "; the file is damaged, take a new backup");
      return;
    }
    if (deep) {
      MessageDigest sha = TarFrames.sha256();
      try (InputStream in = new DigestInputStream(target.open(name, 0, -1), sha)) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      if (!HexFormat.of().formatHex(sha.digest()).equals(sha256)) {
        problems.add(name + " does not match its SHA-256 in the manifest; the file is damaged,"
            + " take a new backup");
      }
    }
  }
}
