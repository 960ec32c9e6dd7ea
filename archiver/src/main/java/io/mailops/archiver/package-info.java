/**
 * Encrypted, tamper-evident mail archive with a search index.
 *
 * <p>{@link io.mailops.archiver.Archive} is the entry point: {@code init}/{@code open} an archive
 * directory with a password, {@code ingest} from any {@link io.mailops.storage.MailStore},
 * {@code seal}/{@code rollover} into volume files, {@code restoreVolume} into the search
 * database, {@code verify}, and read messages back byte for byte. The search index is pluggable
 * ({@link io.mailops.archiver.IndexFactory}, {@link io.mailops.archiver.DocumentParser}); the
 * index contract is in {@code io.mailops.archiver.index}. The on-disk format is documented in
 * {@code docs/archive-format.md}. A plain Java library on {@code storage-tools}; no Spring,
 * Spring Batch or picocli types belong here.
 */
package io.mailops.archiver;
