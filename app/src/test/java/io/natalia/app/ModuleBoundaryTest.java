package io.natalia.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the modules apart: the agent and the cloud share only the call record module, and
 * neither reuses simulator code (the end-to-end comparison against the simulator's ground
 * truth means something only while the two sides are computed independently).
 */
class ModuleBoundaryTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importProductionClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.natalia");
  }

  @Test
  void agentDoesNotUseCloudOrSimulator() {
    noClasses().that().resideInAPackage("io.natalia.agent..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("io.natalia.cloud..", "io.natalia.oxo..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void cloudDoesNotUseAgentOrSimulator() {
    noClasses().that().resideInAPackage("io.natalia.cloud..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("io.natalia.agent..", "io.natalia.oxo..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void simulatorAndRecordStandAlone() {
    noClasses().that().resideInAnyPackage("io.natalia.oxo..", "io.natalia.cdr..")
        .should().dependOnClassesThat()
        .resideInAnyPackage("io.natalia.agent..", "io.natalia.cloud..", "io.natalia.app..")
        .allowEmptyShould(true)
        .check(classes);
  }
}
