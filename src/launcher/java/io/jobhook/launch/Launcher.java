package io.jobhook.launch;

import java.io.File;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The jar's entry point, compiled for Java 17 so that {@code java -jar target/jobhook.jar} works on
 * a machine whose default Java is older than jobhook needs: on Java 21+ it calls {@code
 * io.jobhook.Main} directly; otherwise it finds a JDK 21+ (JAVA_HOME, JOBHOOK_JAVA, then
 * /usr/lib/jvm) and runs the same jar with it, {@code denoise} with the AOT cache the build wrote
 * beside the jar when that JDK is 25 or newer.
 */
public final class Launcher {
  private static final int REQUIRED = 21;

  private Launcher() {}

  public static void main(String[] args) throws Exception {
    if (Runtime.version().feature() >= REQUIRED) {
      Class<?> main = Class.forName("io.jobhook.Main");
      Method m = main.getMethod("main", String[].class);
      m.invoke(null, (Object) args);
      return;
    }
    Path java = findJava();
    if (java == null) {
      System.err.println(
          "jobhook needs Java "
              + REQUIRED
              + " or newer; this is Java "
              + Runtime.version().feature()
              + " and no newer JDK was found (set JOBHOOK_JAVA or JAVA_HOME)");
      System.exit(1);
    }
    String jar =
        new File(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .getPath();
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    // the same flags as the build's training run of the AOT cache (pom.xml), or it does not match
    command.add("--enable-native-access=ALL-UNNAMED");
    Path aotCache = Path.of(jar).resolveSibling("jobhook.aot");
    if (args.length > 0
        && args[0].equals("denoise")
        && featureOf(java.getParent().getParent()) >= 25
        && Files.isRegularFile(aotCache)) {
      command.add("-XX:AOTCache=" + aotCache);
      command.add("-Xlog:aot=off"); // a cache that does not match is ignored; no need to say so
    }
    command.add("-cp");
    command.add(jar);
    command.add("io.jobhook.Main");
    for (String a : args) {
      command.add(a);
    }
    Process p = new ProcessBuilder(command).inheritIO().start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
    System.exit(p.waitFor());
  }

  private static Path findJava() throws Exception {
    List<Path> homes = new ArrayList<>();
    for (String var : new String[] {"JOBHOOK_JAVA", "JAVA_HOME"}) {
      String v = System.getenv(var);
      if (v != null && !v.isEmpty()) {
        Path p = Path.of(v);
        homes.add(Files.isRegularFile(p) ? p.getParent().getParent() : p);
      }
    }
    Path jvm = Path.of("/usr/lib/jvm");
    if (Files.isDirectory(jvm)) {
      try (Stream<Path> s = Files.list(jvm)) {
        s.sorted(Comparator.reverseOrder()).forEach(homes::add);
      }
    }
    for (Path home : homes) {
      Path java = home.resolve("bin/java");
      if (Files.isExecutable(java) && featureOf(home) >= REQUIRED) {
        return java;
      }
    }
    return null;
  }

  private static int featureOf(Path home) {
    try {
      Path release = home.resolve("release");
      if (Files.isRegularFile(release)) {
        for (String line : Files.readAllLines(release)) {
          if (line.startsWith("JAVA_VERSION=")) {
            String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
            String first = v.split("[.+-]")[0];
            return Integer.parseInt(first.equals("1") ? v.split("\\.")[1] : first);
          }
        }
      }
    } catch (Exception ignored) {
      // unreadable: not a candidate
    }
    return 0;
  }
}
