/**
 * IMAP migration of legacy mailboxes: folder mapping, copy with flags and dates, checkpoints.
 *
 * <p>{@link io.mailops.migrator.Migrator} copies one account from a source
 * {@link io.mailops.storage.MailStore} to a target one (IMAP, Maildir, mbox, eml), skipping what a
 * {@link io.mailops.migrator.MigrationState} says is done and what the target already holds
 * (by {@link io.mailops.migrator.Fingerprint}); {@link io.mailops.migrator.MigrationVerify}
 * compares both sides afterwards. A plain Java library on {@code storage-tools}; no Spring,
 * Spring Batch or picocli types belong here, and nothing is printed.
 */
package io.mailops.migrator;
