/**
 * Optional encryption of backup sets: a password-derived key ({@link
 * io.mailops.backup.crypto.SetKey}, Argon2id), the parameters a set manifest records ({@link
 * io.mailops.backup.crypto.Encryption}) and AES-256-GCM in authenticated segments ({@link
 * io.mailops.backup.crypto.SegmentedCipher}). The byte layout is described in {@code
 * docs/backup-format.md} (section "Encryption").
 */
package io.mailops.backup.crypto;
