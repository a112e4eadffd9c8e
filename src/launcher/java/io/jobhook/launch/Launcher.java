package io.jobhook.launch;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The jar's entry point, compiled for Java 17 so that {@code java -jar target/jobhook.jar} works on
 * a machine whose default Java is older than jobhook needs: on Java 21+ it calls {@code
 * io.jobhook.Main} directly; otherwise it finds a JDK 21+ (JOBHOOK_JAVA, JAVA_HOME, then the newest
 * in /usr/lib/jvm) and runs the same jar with it, {@code denoise} with the AOT cache the build
 * wrote beside the jar when that JDK is 25 or newer.
 *
 * <p>Its time is every command's: it uses no lambdas, streams, regular expressions, NIO or string
 * concatenation by {@code +} on its way to the re-launch, whose first use costs a cold JVM
 * milliseconds to tens of them (classes loaded and linked, call sites bootstrapped, all in the
 * interpreter).
 */
public final class Launcher {
  private static final int REQUIRED = 21;

  private Launcher() {}

  public static void main(String[] args) throws Exception {
    if (Runtime.version().feature() >= REQUIRED) {
      Class.forName("io.jobhook.Main")
          .getMethod("main", String[].class)
          .invoke(null, (Object) args);
      return;
    }
    Jdk jdk = findJdk();
    if (jdk == null) {
      System.err.println(
          "jobhook needs Java "
              + REQUIRED
              + " or newer; this is Java "
              + Runtime.version().feature()
              + " and no newer JDK was found (set JOBHOOK_JAVA or JAVA_HOME)");
      System.exit(1);
    }
    String jar = System.getProperty("java.class.path"); // the jar, when run by java -jar
    if (jar.isEmpty() || jar.contains(File.pathSeparator)) {
      jar =
          new File(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .getPath();
    }
    List<String> command = new ArrayList<>();
    command.add(new File(jdk.home(), "bin/java").getPath());
    // the same flags as the build's training run of the AOT cache (pom.xml), or it does not match
    command.add("--enable-native-access=ALL-UNNAMED");
    File aotCache = new File(new File(jar).getParentFile(), "jobhook.aot");
    if (args.length > 0 && args[0].equals("denoise") && jdk.feature() >= 25 && aotCache.isFile()) {
      command.add("-XX:AOTCache=".concat(aotCache.getPath()));
      command.add("-Xlog:aot=off"); // a cache that does not match is ignored; no need to say so
    }
    command.add("-cp");
    command.add(jar);
    command.add("io.jobhook.Main");
    command.addAll(Arrays.asList(args));
    Process child = new ProcessBuilder(command).inheritIO().start();
    Runtime.getRuntime().addShutdownHook(new StopChild(child));
    System.exit(child.waitFor());
  }

  /** Stops the re-launched JVM when this one is stopped (Ctrl-C, SIGTERM). */
  private static final class StopChild extends Thread {
    private final Process child;

    StopChild(Process child) {
      this.child = child;
    }

    @Override
    public void run() {
      child.destroy();
    }
  }

  /** A JDK's home and its feature version. */
  private record Jdk(File home, int feature) {}

  /** The first JDK 21+ of JOBHOOK_JAVA, JAVA_HOME and /usr/lib/jvm (newest first), or null. */
  private static Jdk findJdk() {
    for (String variable : new String[] {"JOBHOOK_JAVA", "JAVA_HOME"}) {
      String value = System.getenv(variable);
      if (value != null && !value.isEmpty()) {
        File given = new File(value);
        // JOBHOOK_JAVA may name the java binary itself
        Jdk jdk = usable(given.isFile() ? given.getParentFile().getParentFile() : given);
        if (jdk != null) {
          return jdk;
        }
      }
    }
    String[] installed = new File("/usr/lib/jvm").list();
    if (installed != null) {
      Arrays.sort(installed);
      for (int i = installed.length - 1; i >= 0; i--) {
        Jdk jdk = usable(new File("/usr/lib/jvm", installed[i]));
        if (jdk != null) {
          return jdk;
        }
      }
    }
    return null;
  }

  /** The JDK at {@code home} if it has a java binary and is 21 or newer, else null. */
  private static Jdk usable(File home) {
    if (home == null || !new File(home, "bin/java").canExecute()) {
      return null;
    }
    int feature = featureOf(home);
    return feature >= REQUIRED ? new Jdk(home, feature) : null;
  }

  /**
   * The feature version in the JDK's {@code release} file (17 of "17.0.15", 8 of "1.8.0"); 0 if
   * none.
   */
  static int featureOf(File home) {
    try (BufferedReader release = new BufferedReader(new FileReader(new File(home, "release")))) {
      String line;
      while ((line = release.readLine()) != null) {
        if (line.startsWith("JAVA_VERSION=")) {
          String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
          if (version.startsWith("1.")) {
            version = version.substring(2);
          }
          int end = 0;
          while (end < version.length() && Character.isDigit(version.charAt(end))) {
            end++;
          }
          return end == 0 ? 0 : Integer.parseInt(version.substring(0, end));
        }
      }
    } catch (IOException | RuntimeException unreadable) {
      // no release file, or not a JDK's: not a candidate
    }
    return 0;
  }
}
