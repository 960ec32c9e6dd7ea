/**
 * Reporting: the parameters the collector, the charts and the SNMP agent share ({@link
 * io.mailops.reporting.Parameter}), the Postfix and Dovecot log parser ({@code logs}) and the
 * pflogsumm-style daily summary ({@code summary}).
 *
 * <p>A plain Java library on {@code storage-tools}; no Spring, Spring Batch or picocli types
 * belong here.
 */
package io.mailops.reporting;
