package io.jobhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.support.TestAudio;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar's commands, run as a user runs them. */
class CommandLineIT {
  @TempDir Path dir;

  record Run(int exit, String output) {}

  static Run run(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-jar",
                "target/jobhook.jar"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void denoise_writes_a_cleaner_wav() throws Exception {
    float[] clean = TestAudio.speechLike(16000, 3);
    float[] noisy = TestAudio.mix(clean, TestAudio.whiteNoise(clean.length, 0.1, 11), 5);
    Path in = dir.resolve("in.wav");
    Path out = dir.resolve("out.wav");
    Files.write(in, TestAudio.wav16(16000, noisy));
    Run r = run("denoise", in.toString(), out.toString(), "--format", "wav");
    assertThat(r.exit()).as(r.output()).isZero();
    float[] denoised = TestAudio.readWav16Mono(Files.readAllBytes(out));
    assertThat(TestAudio.snrDb(clean, denoised)).isGreaterThan(TestAudio.snrDb(clean, noisy) + 4);
  }

  /**
   * The AOT cache the build writes on a JDK 25+ (pom.xml, profile aot-cache) must fit the jar and
   * the flags the launcher re-launches `denoise` with: AOTMode=on makes the JVM refuse to start
   * otherwise (the launcher itself lets a cache that does not fit be ignored).
   */
  @Test
  void the_aot_cache_fits_the_jar_and_the_launchers_flags() throws Exception {
    Assumptions.assumeTrue(
        Runtime.version().feature() >= 25, "the build writes the cache on a JDK 25+ only");
    Path cache = Path.of("target/jobhook.aot").toAbsolutePath();
    assertThat(cache).exists();
    Path in = dir.resolve("in.wav");
    Files.write(in, TestAudio.wav16(16000, TestAudio.speechLike(16000, 1)));
    Process p =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED",
                "-XX:AOTCache=" + cache,
                "-XX:AOTMode=on",
                "-cp",
                Path.of("target/jobhook.jar").toAbsolutePath().toString(),
                "io.jobhook.Main",
                "denoise",
                in.toString(),
                dir.resolve("out.wav").toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void denoise_resamples_when_asked() throws Exception {
    Path in = dir.resolve("in.wav");
    Path out = dir.resolve("out.wav");
    Files.write(in, TestAudio.wav16(44100, TestAudio.speechLike(44100, 1)));
    Run r = run("denoise", in.toString(), out.toString(), "--sample-rate", "16000");
    assertThat(r.exit()).as(r.output()).isZero();
    byte[] wav = Files.readAllBytes(out);
    assertThat(
            java.nio.ByteBuffer.wrap(wav, 24, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt())
        .isEqualTo(16000);
  }

  @Test
  void denoise_writes_mp3_when_asked() throws Exception {
    Path in = dir.resolve("in.wav");
    Path out = dir.resolve("out.mp3");
    Files.write(
        in,
        TestAudio.wav16(
            16000,
            TestAudio.mix(
                TestAudio.speechLike(16000, 2), TestAudio.whiteNoise(32000, 0.05, 4), 5)));
    Run r = run("denoise", in.toString(), out.toString(), "--format", "mp3");
    assertThat(r.exit()).as(r.output()).isZero();
    byte[] mp3 = Files.readAllBytes(out);
    // an MPEG audio frame header: sync bits, then layer III
    assertThat(mp3[0] & 0xFF).isEqualTo(0xFF);
    assertThat(mp3[1] & 0xE6).isEqualTo(0xE2);
    Run bad = run("denoise", in.toString(), out.toString(), "--format", "aac");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.output()).contains("supported: wav, mp3");
  }

  @Test
  void denoise_fails_clearly_on_bad_input_and_bad_options() throws Exception {
    Path garbage = dir.resolve("garbage.wav");
    Files.writeString(garbage, "not audio");
    Run bad = run("denoise", garbage.toString(), dir.resolve("o.wav").toString());
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.output()).contains("neither WAV nor MP3");
    assertThat(dir.resolve("o.wav")).doesNotExist();

    Run missing =
        run("denoise", dir.resolve("nope.wav").toString(), dir.resolve("o.wav").toString());
    assertThat(missing.exit()).isNotZero();
    assertThat(missing.output()).contains("cannot read");

    Run format =
        run("denoise", garbage.toString(), dir.resolve("o.wav").toString(), "--format", "ogg");
    assertThat(format.exit()).isNotZero();
    assertThat(format.output()).contains("unsupported --format");
  }

  /**
   * On a machine whose default Java is older than 21 (17 on these machines), {@code java -jar}
   * starts the launcher there, which runs the jar again on a JDK 21+: here the one running the
   * tests, named by JOBHOOK_JAVA as a user may name it (the java binary itself).
   */
  @Test
  void on_a_java_older_than_21_the_jar_runs_itself_again_on_a_newer_jdk() throws Exception {
    Path older = olderJava();
    Assumptions.assumeTrue(older != null, "no JDK older than 21 in /usr/lib/jvm");
    float[] clean = TestAudio.speechLike(16000, 2);
    Path in = dir.resolve("in.wav");
    Path out = dir.resolve("out.wav");
    Files.write(
        in,
        TestAudio.wav16(
            16000, TestAudio.mix(clean, TestAudio.whiteNoise(clean.length, 0.1, 5), 5)));
    ProcessBuilder builder =
        new ProcessBuilder(
                older.toString(),
                "-jar",
                "target/jobhook.jar",
                "denoise",
                in.toString(),
                out.toString())
            .redirectErrorStream(true);
    builder
        .environment()
        .put("JOBHOOK_JAVA", ProcessHandle.current().info().command().orElseThrow());
    Process p = builder.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(TestAudio.snrDb(clean, TestAudio.readWav16Mono(Files.readAllBytes(out))))
        .isGreaterThan(TestAudio.snrDb(clean, TestAudio.readWav16Mono(Files.readAllBytes(in))) + 4);

    builder.command(older.toString(), "-jar", "target/jobhook.jar", "--bogus");
    Process refused = builder.start();
    String refusal = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(refused.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(refused.exitValue()).as("the re-launched command's exit status").isEqualTo(2);
    assertThat(refusal).contains("--bogus");
  }

  /** The java binary of a JDK 17-20 in /usr/lib/jvm (the launcher needs 17), or null. */
  private static Path olderJava() throws Exception {
    Path jvm = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvm)) {
      return null;
    }
    try (var homes = Files.list(jvm)) {
      for (Path home : homes.sorted().toList()) {
        Path release = home.resolve("release");
        Path java = home.resolve("bin/java");
        if (Files.isRegularFile(release) && Files.isExecutable(java)) {
          for (String line : Files.readAllLines(release)) {
            if (line.startsWith("JAVA_VERSION=\"")) {
              String version = line.substring("JAVA_VERSION=\"".length());
              int feature = Integer.parseInt(version.split("[.\"]")[0]);
              if (feature >= 17 && feature < 21) {
                return java;
              }
            }
          }
        }
      }
    }
    return null;
  }

  @Test
  void help_names_the_commands_and_options() throws Exception {
    Run help = run("--help");
    assertThat(help.exit()).isZero();
    assertThat(help.output()).contains("serve").contains("denoise IN OUT");
    Run serveHelp = run("serve", "--help");
    assertThat(serveHelp.output())
        .contains("--allow-private-callbacks")
        .contains("--callback-retry-schedule")
        .contains("--data-dir");
    Run denoiseHelp = run("denoise", "--help");
    assertThat(denoiseHelp.exit()).isZero();
    assertThat(denoiseHelp.output()).contains("--sample-rate");
  }

  @Test
  void serve_refuses_unknown_options_and_a_data_dir_in_use() throws Exception {
    Run unknown = run("serve", "--bogus");
    assertThat(unknown.exit()).isEqualTo(2);
    assertThat(unknown.output()).contains("unknown option --bogus");

    Path data = dir.resolve("data");
    try (var running =
        io.jobhook.support.ServerProcess.start(
            data, io.jobhook.support.ServerProcess.freePort(), dir.resolve("first.log"))) {
      Run second =
          run(
              "serve",
              "--port",
              Integer.toString(io.jobhook.support.ServerProcess.freePort()),
              "--data-dir",
              data.toString());
      assertThat(second.exit()).isEqualTo(1);
      assertThat(second.output()).contains("in use by another jobhook process");
    }
  }

  @Test
  void json_logs_are_one_object_per_line_with_the_ids_of_what_they_are_about() throws Exception {
    Path data = dir.resolve("json-data");
    Path log = dir.resolve("json.log");
    int port = io.jobhook.support.ServerProcess.freePort();
    String jobId;
    String requestId;
    try (var server =
        io.jobhook.support.ServerProcess.start(
            data,
            port,
            log,
            "--log-format",
            "json",
            "--log-level",
            "io.jobhook.job=debug",
            "--log-level",
            "jobhook.access=info")) {
      // a job whose input does not exist fails: its worker logs why, under the job's id
      var submitted =
          io.jobhook.support.RawHttp.signed(
              port,
              "POST",
              io.jobhook.support.RawHttp.CI_HOST,
              "/jobs",
              io.jobhook.support.RawHttp.missingInputJob(null, null));
      jobId = io.jobhook.support.RawHttp.jobId(submitted);
      requestId = submitted.headers().get("x-cos-request-id");
      io.jobhook.support.CallbackReceiver.await(
          java.time.Duration.ofSeconds(20),
          "a log line about job " + jobId,
          () -> {
            try {
              return java.nio.file.Files.readString(log).contains("\"jobId\":\"" + jobId + "\"");
            } catch (java.io.IOException e) {
              return false;
            }
          });
    }
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> lines = java.nio.file.Files.readAllLines(log);
    int objects = 0;
    boolean aboutTheJob = false;
    boolean theSubmit = false;
    for (String line : lines) {
      if (!line.startsWith("{")) {
        continue; // the banner: the address and the generated credentials, on standard output
      }
      var event = json.readTree(line);
      objects++;
      assertThat(event.has("time") && event.has("level") && event.has("logger")).as(line).isTrue();
      assertThat(event.get("message").asText()).as(line).isNotNull();
      if (event.path("logger").asText().equals("jobhook.access")
          && requestId.equals(event.path("requestId").asText())) {
        theSubmit = true;
        assertThat(event.get("message").asText()).contains("POST /jobs ci /jobs 200");
        assertThat(event.path("secretId").asText())
            .isEqualTo(io.jobhook.support.TestNode.CREDENTIALS.secretId());
      }
      if (jobId.equals(event.path("jobId").asText())) {
        aboutTheJob = true;
        assertThat(event.path("bucket").asText()).isEqualTo(io.jobhook.support.TestNode.BUCKET);
      }
    }
    assertThat(objects).as(String.join("\n", lines)).isGreaterThan(2);
    assertThat(aboutTheJob).isTrue();
    assertThat(theSubmit).as("the submit's access line").isTrue();
    assertThat(String.join("\n", lines))
        .as("no secret in the log")
        .doesNotContain(io.jobhook.support.TestNode.CREDENTIALS.secretKey());
  }
}
