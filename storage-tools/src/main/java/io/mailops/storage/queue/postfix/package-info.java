/**
 * Reads a Postfix queue directly from its queue files, the way {@code showq} ({@code postqueue
 * -j}) and {@code qshape} do, and changes it only through {@code postsuper}.
 *
 * <p>Entry points: {@link io.mailops.storage.queue.postfix.PostfixQueue} (list, find, show,
 * content), {@link io.mailops.storage.queue.postfix.QueueShape} (qshape age buckets),
 * {@link io.mailops.storage.queue.postfix.PostSuper} (hold, release, delete, requeue) and
 * {@link io.mailops.storage.queue.postfix.PostfixConfig} ({@code postconf}). Formats follow
 * Postfix 3.x: {@code src/global/rec_type.h}, {@code record.c}, {@code mail_queue.h},
 * {@code bounce_log.c}, {@code src/showq/showq.c} and {@code auxiliary/qshape/qshape.pl}.
 * Reading needs the rights of root or the {@code mail_owner} (postfix).
 */
package io.mailops.storage.queue.postfix;
