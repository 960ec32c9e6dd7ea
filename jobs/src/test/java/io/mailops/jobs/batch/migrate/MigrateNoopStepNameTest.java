package io.mailops.jobs.batch.migrate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The account steps of a no-op run are named as the job's partitioner names them. */
class MigrateNoopStepNameTest {

  @Test
  void stepNamesAreTheJobsPartitionNames() {
    for (int i : new int[] {0, 7, 10, 99, 1234, 99999, 100000, 1234567}) {
      assertThat(MigrateNoopRun.stepName(i))
          .isEqualTo(String.format("migrateAccount:account%05d", i));
    }
  }
}
