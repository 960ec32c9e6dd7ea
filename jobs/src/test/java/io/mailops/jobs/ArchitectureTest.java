package io.mailops.jobs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module rules of DESIGN.md and STYLE.md, over the production classes of every module. */
class ArchitectureTest {

  static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    // the other modules come from their jars (or target/classes) on the test classpath
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("io.mailops");
  }

  @Test
  void storageToolsIsOnTheClasspath() {
    classes().that().haveFullyQualifiedName("io.mailops.storage.MailStore").should().beInterfaces()
        .allowEmptyShould(false).check(classes);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.mailops.(**)").should().beFreeOfCycles().check(classes);
  }

  @Test
  void theMailModelDependsOnTheJdkOnly() {
    classes().that().resideInAPackage("io.mailops.storage.model..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.mailops.storage.model..")
        .check(classes);
  }

  @Test
  void noSpringOrPicocliOutsideJobs() {
    noClasses().that().resideOutsideOfPackage("io.mailops.jobs..")
        .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "picocli..")
        .check(classes);
  }

  @Test
  void featureModulesDoNotDependOnEachOther() {
    String[] features = {"io.mailops.backup..", "io.mailops.migrator..", "io.mailops.archiver..",
        "io.mailops.reporting..", "io.mailops.snmp.."};
    for (String f : features) {
      for (String other : features) {
        if (f.equals(other) || (f.startsWith("io.mailops.snmp") && other.startsWith("io.mailops.reporting"))) {
          continue;
        }
        noClasses().that().resideInAPackage(f).should().dependOnClassesThat().resideInAPackage(other)
            .allowEmptyShould(true).check(classes);
      }
    }
  }

  @Test
  void librariesDoNotPrintOrExit() {
    noClasses().that().resideOutsideOfPackage("io.mailops.jobs..")
        .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
        .orShould().callMethod(System.class, "exit", int.class)
        .check(classes);
  }
}
