package io.jobhook;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The package rules (see docs: package by feature): the domain stays free of storage, wire formats
 * and HTTP; no two packages depend on each other, however indirectly; and each package imports only
 * what its allow-list below says, as JobRunr's PackageDependenciesTest does.
 */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.jobhook");

  /** Every package of the JDK, and the logging facade, which any package may use. */
  private static final List<String> EVERYWHERE = List.of("java..", "org.slf4j..");

  /**
   * What each package may import besides {@link #EVERYWHERE} and itself. The root package (the
   * command line and the wiring) may import anything.
   */
  private static final Map<String, List<String>> ALLOWED = new LinkedHashMap<>();

  static {
    ALLOWED.put("launch", List.of()); // runs on any JDK to find a 21+ one: the JDK only
    ALLOWED.put("engine", List.of());
    ALLOWED.put("object", List.of("engine"));
    // object bytes in an S3-compatible store, at the edge
    ALLOWED.put("object.s3", List.of("object", "software.amazon.."));
    ALLOWED.put("callback", List.of("engine", "javax.crypto.."));
    ALLOWED.put("callback.http", List.of("callback", "engine", "javax.net.."));
    ALLOWED.put("callback.kafka", List.of("callback", "org.apache.kafka.."));
    ALLOWED.put("job", List.of("callback", "engine", "object"));
    ALLOWED.put("job.run", List.of("job", "callback", "engine", "object"));
    ALLOWED.put("template", List.of("job", "engine"));
    ALLOWED.put("access", List.of("engine", "javax.crypto.."));
    ALLOWED.put("workflow", List.of("job", "callback", "engine", "object", "template"));
    // audio codecs and streaming stages, shared by every job kind that processes audio
    ALLOWED.put("audio", List.of("javax.sound..", "de.sciss..", "javazoom.."));
    ALLOWED.put("process.noise", List.of("audio", "job", "object", "engine"));
    // the CI documents: they render the domain's values, and nothing in the domain sees them but
    // through ports
    ALLOWED.put("wire", List.of("callback", "job", "object", "workflow"));
    ALLOWED.put(
        "storage",
        List.of(
            "access",
            "callback",
            "engine",
            "job",
            "object",
            "template",
            "workflow",
            "java.sql..",
            "javax.sql..",
            "com.zaxxer..",
            "org.flywaydb..",
            "org.sqlite..",
            "com.fasterxml.."));
    ALLOWED.put("api.auth", List.of("javax.crypto.."));
    ALLOWED.put(
        "api",
        List.of(
            "access",
            "api.auth",
            "callback",
            "callback.http",
            "engine",
            "job",
            "object",
            "template",
            "wire",
            "workflow",
            "metrics",
            "console",
            "io.javalin..",
            "org.eclipse.jetty..",
            "jakarta.servlet..",
            "com.fasterxml..",
            "javax.xml..",
            "com.sun.management.."));
    // the operator console: an edge beside the API, on the same services
    ALLOWED.put(
        "console",
        List.of(
            "access",
            "callback",
            "job",
            "object",
            "template",
            "wire",
            "workflow",
            "io.javalin..",
            "jakarta.servlet.."));
    // the edge that turns each feature's listener ports and stores into Prometheus series
    ALLOWED.put("metrics", List.of("callback", "engine", "job", "workflow", "io.prometheus.."));
    // the log backend, set up from the command line
    ALLOWED.put("logging", List.of("config", "ch.qos.logback..", "com.fasterxml.."));
    // the command line into each feature's settings: it names the settings of the HTTP edge
    // (HttpLimits) and where the credentials the edge checks come from (api.auth.Credentials)
    ALLOWED.put(
        "config",
        List.of(
            "access",
            "api",
            "api.auth",
            "callback",
            "callback.http",
            "callback.kafka",
            "engine",
            "object.s3"));
  }

  @Test
  void the_domain_imports_no_sql_no_jackson_and_no_http() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.jobhook.job..",
            "io.jobhook.process..",
            "io.jobhook.engine..",
            "io.jobhook.workflow..",
            "io.jobhook.object",
            "io.jobhook.audio..")
        .or()
        .resideInAPackage("io.jobhook.callback")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.sql..",
            "javax.sql..",
            "com.fasterxml..",
            "io.javalin..",
            "org.eclipse.jetty..",
            "jakarta.servlet..",
            "com.zaxxer..",
            "org.flywaydb..")
        .check(CLASSES);
  }

  @Test
  void the_domain_does_not_reach_into_its_edges() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.jobhook.job..",
            "io.jobhook.process..",
            "io.jobhook.callback..",
            "io.jobhook.object..",
            "io.jobhook.engine..",
            "io.jobhook.workflow..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.jobhook.api..", "io.jobhook.storage..", "io.jobhook.config..")
        .check(CLASSES);
  }

  @Test
  void storage_knows_nothing_of_http() {
    noClasses()
        .that()
        .resideInAPackage("io.jobhook.storage..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.jobhook.api..", "io.javalin..", "org.eclipse.jetty..")
        .check(CLASSES);
  }

  @Test
  void no_package_depends_on_another_that_depends_back_on_it() {
    noCycles("io.jobhook").check(CLASSES);
  }

  @Test
  void each_package_imports_only_what_its_allow_list_says() {
    assertThat(packagesWithoutAllowList())
        .as("packages of main code without an allow-list")
        .isEmpty();
    for (Map.Entry<String, List<String>> rule : ALLOWED.entrySet()) {
      allowList(rule.getKey(), rule.getValue()).check(CLASSES);
    }
  }

  @Test
  void the_rules_catch_a_cycle_and_an_import_off_the_list() {
    JavaClasses withCycle =
        new ClassFileImporter().importPackages("io.jobhook.architecture.fixture.cycle");
    assertThatThrownBy(() -> noCycles("io.jobhook.architecture.fixture.cycle").check(withCycle))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Cycle detected");
    assertThatThrownBy(() -> allowList("architecture.fixture.cycle.a", List.of()).check(withCycle))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("Right");
  }

  private static ArchRule noCycles(String root) {
    return slices().matching(root + ".(**)").should().beFreeOfCycles();
  }

  /** Classes of {@code io.jobhook.<pkg>} (not its sub-packages) depend only on {@code allowed}. */
  private static ArchRule allowList(String pkg, List<String> allowed) {
    List<String> packages = new ArrayList<>(EVERYWHERE);
    packages.add("io.jobhook." + pkg);
    for (String a : allowed) {
      packages.add(a.endsWith("..") ? a : "io.jobhook." + a);
    }
    return classes()
        .that()
        .resideInAPackage("io.jobhook." + pkg)
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(packages.toArray(String[]::new))
        .because("package " + pkg + " may import only " + allowed);
  }

  private static List<String> packagesWithoutAllowList() {
    return CLASSES.stream()
        .map(c -> c.getPackageName())
        .filter(p -> !p.equals("io.jobhook"))
        .map(p -> p.substring("io.jobhook.".length()))
        .filter(p -> !ALLOWED.containsKey(p))
        .distinct()
        .sorted()
        .toList();
  }
}
