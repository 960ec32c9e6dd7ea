/**
 * Backup sets of the mail storage: full and incremental sets of per-folder
 * {@code messages.tar.zst} files with JSON manifests keyed by Maildir base name, written to a
 * {@link io.mailops.backup.BackupTarget}; restore of a domain, account, folder or one message;
 * verify. The format is described in {@code docs/backup-format.md}.
 *
 * <p>Entry points: {@link io.mailops.backup.Backup}, {@link io.mailops.backup.Restore},
 * {@link io.mailops.backup.Verify}. A plain Java library on {@code storage-tools}; no Spring,
 * Spring Batch or picocli types belong here.
 */
package io.mailops.backup;
