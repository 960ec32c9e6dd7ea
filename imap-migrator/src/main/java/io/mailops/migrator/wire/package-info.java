/**
 * IMAP spoken on the wire for speed: pipelined {@code UID FETCH} of many messages and
 * {@code APPEND} with non-synchronising literals ({@code LITERAL+}), behind the migrator's
 * {@link io.mailops.migrator.MessageReader} and {@link io.mailops.migrator.MessageWriter}
 * (docs/adr/0008-migration-wire-pipelining.md).
 */
package io.mailops.migrator.wire;
