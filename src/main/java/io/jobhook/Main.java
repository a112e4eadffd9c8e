package io.jobhook;

import io.jobhook.audio.AudioFormatException;
import io.jobhook.audio.OutputFormat;
import io.jobhook.audio.TempFiles;
import io.jobhook.config.CommandLine;
import io.jobhook.config.CredentialsFile;
import io.jobhook.config.JobhookConfig;
import io.jobhook.logging.LogSetup;
import io.jobhook.process.noise.NoiseReductionProcessor;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** The command line: {@code serve}, {@code denoise}, {@code keys}, {@code backup}, {@code help}. */
public final class Main {
  private static final String USAGE =
      """
      jobhook: self-hosted Tencent CI media jobs with durable completion callbacks

      Usage:
        java -jar target/jobhook.jar serve [--port N] [--data-dir DIR] [--allow-private-callbacks] [...]
        java -jar target/jobhook.jar denoise IN OUT [--format wav|mp3] [--sample-rate N]
        java -jar target/jobhook.jar keys create|list|revoke --server URL [...]
        java -jar target/jobhook.jar backup [--data-dir DIR] --to BACKUP_DIR
        java -jar target/jobhook.jar help [serve|keys|backup]
      """;

  private Main() {}

  public static void main(String[] args) throws Exception {
    List<String> list = Arrays.asList(args);
    String command = list.isEmpty() ? "help" : list.getFirst();
    List<String> rest = list.isEmpty() ? List.of() : list.subList(1, list.size());
    int code =
        switch (command) {
          case "serve" -> serve(rest);
          case "denoise" -> denoise(rest);
          case "backup" -> new BackupCommand(System.out, System.err).run(rest);
          case "keys" ->
              new KeysCommand(System.getenv(), System.out, System.err, InstantSource.system())
                  .run(rest);
          case "help", "--help", "-h" -> {
            System.out.print(
                rest.contains("serve")
                    ? CommandLine.SERVE_USAGE
                    : rest.contains("keys")
                        ? KeysCommand.USAGE
                        : rest.contains("backup") ? BackupCommand.USAGE : USAGE);
            yield 0;
          }
          default -> {
            System.err.print("unknown command '" + command + "'\n\n" + USAGE);
            yield 2;
          }
        };
    if (code != 0) {
      System.exit(code);
    }
  }

  private static int serve(List<String> args) throws Exception {
    if (args.contains("--help") || args.contains("-h")) {
      System.out.print(CommandLine.SERVE_USAGE);
      return 0;
    }
    JobhookConfig config;
    try {
      config = CommandLine.parseServe(args, System.getenv());
    } catch (RuntimeException e) {
      System.err.println("jobhook serve: " + e.getMessage() + "\n\n" + CommandLine.SERVE_USAGE);
      return 2;
    }
    LogSetup.apply(config.logging());
    DataDirectory.create(config.storage().dataDir());
    var credentials = CredentialsFile.load(config.storage().dataDir(), System.getenv());
    Jobhook node;
    try {
      node = Jobhook.start(config, credentials.credentials(), InstantSource.system());
    } catch (IllegalStateException e) {
      System.err.println("jobhook serve: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  node.close();
                  stopped.countDown();
                },
                "jobhook-shutdown"));
    System.out.println(
        "jobhook listening on http://"
            + config.api().host()
            + ":"
            + node.port()
            + " (data in "
            + config.storage().dataDir().toAbsolutePath()
            + ")");
    if (credentials.fromEnvironment()) {
      System.out.println(
          "credentials: SecretId "
              + credentials.credentials().secretId()
              + " (SecretKey from JOBHOOK_SECRET_KEY)");
    } else {
      System.out.println(
          "credentials ("
              + (credentials.generated() ? "generated, " : "")
              + "kept in "
              + credentials.file()
              + "):");
      System.out.println("  JOBHOOK_SECRET_ID=" + credentials.credentials().secretId());
      System.out.println("  JOBHOOK_SECRET_KEY=" + credentials.credentials().secretKey());
    }
    if (config.callbacks().allowPrivate()) {
      System.out.println(
          "warning: --allow-private-callbacks lets callbacks reach loopback and private networks");
    }
    System.out.flush();
    stopped.await();
    return 0;
  }

  private static int denoise(List<String> args) throws Exception {
    String usage =
        "Usage: java -jar target/jobhook.jar denoise IN OUT [--format wav|mp3] [--sample-rate N]\n"
            + "  IN: WAV (PCM 8/16/24/32-bit or float, 1-8 channels) or MP3; OUT: 16-bit WAV, or MP3 (1-2 channels,\n"
            + "  8-48 kHz standard rates)\n";
    if (args.contains("--help") || args.contains("-h")) {
      System.out.print(usage);
      return 0;
    }
    Path in = null;
    Path out = null;
    Integer rate = null;
    OutputFormat format = OutputFormat.WAV;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--format" -> {
          String f = i + 1 < args.size() ? args.get(++i) : "";
          format = OutputFormat.parse(f);
          if (f.isBlank() || format == null) {
            System.err.println("denoise: unsupported --format '" + f + "' (supported: wav, mp3)");
            return 2;
          }
        }
        case "--sample-rate" -> {
          try {
            rate = Integer.parseInt(i + 1 < args.size() ? args.get(++i) : "");
            if (rate < 8000 || rate > 192000) {
              throw new NumberFormatException();
            }
          } catch (NumberFormatException e) {
            System.err.println("denoise: --sample-rate needs an integer from 8000 to 192000");
            return 2;
          }
        }
        default -> {
          if (a.startsWith("--")) {
            System.err.print("denoise: unknown option " + a + "\n" + usage);
            return 2;
          } else if (in == null) {
            in = Path.of(a);
          } else if (out == null) {
            out = Path.of(a);
          } else {
            System.err.print("denoise: too many arguments\n" + usage);
            return 2;
          }
        }
      }
    }
    if (in == null || out == null) {
      System.err.print(usage);
      return 2;
    }
    if (!Files.isReadable(in)) {
      System.err.println("denoise: cannot read " + in);
      return 1;
    }
    Path source = in;
    Path tmp = out.toAbsolutePath().resolveSibling(out.getFileName() + ".part");
    try (OutputStream o = Files.newOutputStream(tmp);
        TempFiles temps = new TempFiles(tmp.getParent())) {
      // the same streaming path as jobs: the input is read in passes, never whole into memory
      new NoiseReductionProcessor(null, null)
          .denoise(
              NoiseReductionProcessor.prepare(() -> Files.newInputStream(source), temps),
              rate,
              format,
              o,
              f -> {});
    } catch (AudioFormatException e) {
      Files.deleteIfExists(tmp);
      System.err.println("denoise: " + in + ": " + e.getMessage() + " (" + e.code + ")");
      return 1;
    }
    Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    return 0;
  }
}
