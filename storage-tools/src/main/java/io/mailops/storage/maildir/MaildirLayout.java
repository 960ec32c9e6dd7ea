package io.mailops.storage.maildir;

import io.mailops.storage.MailStoreException;
import io.mailops.storage.PathGuard;
import io.mailops.storage.model.AccountId;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where each account's Maildir lives under the store root: a template of {@code /}-separated
 * segments with the placeholders {@code {domain}} and {@code {user}}, as Dovecot's
 * {@code mail_location = maildir:/var/vmail/%d/%n/Maildir} becomes {@code {domain}/{user}/Maildir}.
 * An empty template ({@code ""} or {@code .}) means the root is one Maildir, of
 * {@code singleAccount}. Without {@code {domain}} accounts get {@code defaultDomain}.
 */
public record MaildirLayout(String template, String defaultDomain, AccountId singleAccount) {

  public static final String DEFAULT_TEMPLATE = "{domain}/{user}/Maildir";

  public MaildirLayout {
    template = template == null || template.equals(".") ? "" : template;
    if (!template.isEmpty()) {
      for (String seg : template.split("/", -1)) {
        if (seg.isEmpty() || seg.equals("..") || seg.equals(".")
            || (seg.contains("{") && !seg.equals("{domain}") && !seg.equals("{user}"))) {
          throw new IllegalArgumentException("invalid Maildir layout '" + template
              + "': use segments like {domain}/{user}/Maildir, each placeholder a whole segment");
        }
      }
      if (!template.contains("{user}")) {
        throw new IllegalArgumentException("invalid Maildir layout '" + template
            + "': it needs {user} (or use an empty layout for a single Maildir)");
      }
    }
  }

  public static MaildirLayout standard() {
    return new MaildirLayout(DEFAULT_TEMPLATE, "localhost", AccountId.of("mail@localhost"));
  }

  boolean isSingle() {
    return template.isEmpty();
  }

  /** The Maildir root of an account. */
  Path maildir(Path root, AccountId account) throws MailStoreException {
    if (isSingle()) {
      if (!account.equals(singleAccount)) {
        throw new MailStoreException("no account " + account + " in the single Maildir " + root
            + " (it holds " + singleAccount + ")");
      }
      return root;
    }
    StringBuilder rel = new StringBuilder();
    for (String seg : template.split("/")) {
      rel.append(rel.length() == 0 ? "" : "/").append(switch (seg) {
        case "{domain}" -> account.domain();
        case "{user}" -> account.user();
        default -> seg;
      });
    }
    return PathGuard.resolveInside(root, rel.toString(), "account " + account);
  }

  /** Every account whose Maildir exists under the root, sorted. */
  List<AccountId> discover(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new MailStoreException("Maildir store " + root + " does not exist or is not a directory;"
          + " check --storage (or create it with 'mailops storage sample --out " + root + "')");
    }
    if (isSingle()) {
      return List.of(singleAccount);
    }
    List<AccountId> out = new ArrayList<>();
    walk(root, template.split("/"), 0, null, null, out);
    Collections.sort(out);
    return out;
  }

  private void walk(Path dir, String[] segs, int i, String domain, String user, List<AccountId> out)
      throws IOException {
    if (i == segs.length) {
      if (Files.isDirectory(dir) && user != null) {
        try {
          out.add(new AccountId(user, domain != null ? domain : defaultDomain));
        } catch (IllegalArgumentException ignored) {
          // a directory whose name cannot be an account (e.g. lost+found holds no Maildir)
        }
      }
      return;
    }
    String seg = segs[i];
    if (!seg.startsWith("{")) {
      Path next = dir.resolve(seg);
      if (Files.isDirectory(next)) {
        walk(next, segs, i + 1, domain, user, out);
      }
      return;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path child : ds) {
        String name = child.getFileName().toString();
        if (name.startsWith(".") || !Files.isDirectory(child)) {
          continue;
        }
        walk(child, segs, i + 1, seg.equals("{domain}") ? name : domain,
            seg.equals("{user}") ? name : user, out);
      }
    } catch (AccessDeniedException e) {
      throw new MailStoreException("cannot read directory " + dir
          + ": permission denied; run as the mail user or add it to the mail group", e);
    } catch (NoSuchFileException e) {
      // removed while we listed: nothing to find there
    }
  }
}
