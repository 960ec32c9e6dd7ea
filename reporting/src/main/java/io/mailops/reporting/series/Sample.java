package io.mailops.reporting.series;

import java.time.Instant;

/**
 * One value of one parameter at one scope for one minute: for a counter, what was added in that
 * minute; for a gauge, the level sampled in it.
 *
 * @param minute the start of the minute (UTC, seconds and nanoseconds zero)
 */
public record Sample(Instant minute, double value) {}
