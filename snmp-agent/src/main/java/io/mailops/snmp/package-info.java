/**
 * Read-only SNMP agent over the reporting parameters.
 *
 * <p>Not built yet: this module is a placeholder until its issue is taken. It is a plain Java
 * library on {@code storage-tools}; no Spring, Spring Batch or picocli types belong here.
 */
package io.mailops.snmp;
