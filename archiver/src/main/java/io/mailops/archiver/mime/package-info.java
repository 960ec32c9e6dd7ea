/**
 * A byte-level MIME walker that finds the encoded bodies of attachments without decoding or
 * re-encoding anything, so the archive can store them apart and put the message back together
 * byte for byte. Depends on the JDK only.
 */
package io.mailops.archiver.mime;
