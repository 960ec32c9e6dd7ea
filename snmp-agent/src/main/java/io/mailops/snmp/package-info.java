/**
 * Read-only SNMP agent over the reporting parameters: {@link io.mailops.snmp.MailOpsAgent} serves
 * them as SNMPv2c scalars under the layout of {@link io.mailops.snmp.OidLayout}, and
 * {@link io.mailops.snmp.MibGenerator} writes the matching {@code MAILOPS-MIB}.
 *
 * <p>A plain Java library on {@code reporting}, SNMP4J and SNMP4J-Agent (Apache-2.0); no Spring,
 * Spring Batch or picocli types belong here.
 */
package io.mailops.snmp;
