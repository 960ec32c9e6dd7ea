/**
 * Deterministic sample mail stores for demos, tests and benchmarks: {@link
 * io.mailops.storage.sample.SampleGenerator} fills any {@link io.mailops.storage.MailStore} with
 * realistic domains, accounts, folders (including non-ASCII names) and MIME messages derived
 * from a seed alone. Everything except {@code SampleGenerator}, {@code SampleSettings} and
 * {@code SampleReport} is package-private.
 */
package io.mailops.storage.sample;
