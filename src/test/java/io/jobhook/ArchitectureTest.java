package io.jobhook;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The domain stays free of storage, wire formats and HTTP (see docs: package by feature). */
class ArchitectureTest {
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.jobhook");

  @Test
  void the_domain_imports_no_sql_no_jackson_and_no_http() {
    noClasses()
        .that().resideInAnyPackage("io.jobhook.job..", "io.jobhook.process..", "io.jobhook.engine..",
            "io.jobhook.workflow..", "io.jobhook.object")
        .or().resideInAPackage("io.jobhook.callback")
        .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "com.fasterxml..",
            "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..", "com.zaxxer..", "org.flywaydb..")
        .check(CLASSES);
  }

  @Test
  void the_domain_does_not_reach_into_its_edges() {
    noClasses()
        .that().resideInAnyPackage("io.jobhook.job..", "io.jobhook.process..", "io.jobhook.callback..",
            "io.jobhook.object..", "io.jobhook.engine..", "io.jobhook.workflow..")
        .should().dependOnClassesThat().resideInAnyPackage("io.jobhook.api..", "io.jobhook.storage..",
            "io.jobhook.config..")
        .check(CLASSES);
  }

  @Test
  void storage_knows_nothing_of_http() {
    noClasses().that().resideInAPackage("io.jobhook.storage..")
        .should().dependOnClassesThat().resideInAnyPackage("io.jobhook.api..", "io.javalin..", "org.eclipse.jetty..")
        .check(CLASSES);
  }
}
