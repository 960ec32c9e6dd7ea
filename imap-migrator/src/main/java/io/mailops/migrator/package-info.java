/**
 * IMAP migration of legacy mailboxes: folder mapping, copy with flags and dates, checkpoints.
 *
 * <p>Not built yet: this module is a placeholder until its issue is taken. It is a plain Java
 * library on {@code storage-tools}; no Spring, Spring Batch or picocli types belong here.
 */
package io.mailops.migrator;
