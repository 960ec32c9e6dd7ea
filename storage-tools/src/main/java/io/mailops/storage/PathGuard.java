package io.mailops.storage;

import java.nio.file.Path;

/**
 * The one guard every untrusted name passes before it becomes a path: folder names from a
 * store or a server, Maildir file names, account parts, tar entry names on restore, FTP
 * listings. Stores add their own format rules on top (Maildir++ forbids {@code .} in a segment,
 * for example); this class keeps every name inside its root.
 */
public final class PathGuard {

  private PathGuard() {}

  /**
   * Resolves {@code name} ({@code /}-separated relative segments) under {@code root}.
   *
   * @param what names the item for the error message, e.g. "folder Sent of alice@example.com"
   * @throws MailStoreException if the name is empty, absolute, has a control character, a
   *     backslash, an empty, {@code .} or {@code ..} segment, or would leave {@code root}
   */
  public static Path resolveInside(Path root, String name, String what) throws MailStoreException {
    String why = null;
    if (name == null || name.isEmpty()) {
      why = "it is empty";
    } else if (name.startsWith("/")) {
      why = "it is absolute";
    } else if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      why = "it holds a control character";
    } else if (name.indexOf('\\') >= 0) {
      why = "it holds a backslash";
    } else {
      for (String seg : name.split("/", -1)) {
        if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
          why = "it has an empty, '.' or '..' segment";
          break;
        }
      }
    }
    Path base = root.toAbsolutePath().normalize();
    Path resolved = why == null ? base.resolve(name).normalize() : null;
    if (why == null && !resolved.startsWith(base)) {
      why = "it leads outside " + base;
    }
    if (why != null) {
      throw new MailStoreException(what + ": unsafe name '" + name + "' (" + why
          + "); rename it or leave it out");
    }
    return resolved;
  }
}
