package io.jobhook.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobhook.callback.RetryPolicy;
import io.jobhook.support.CallbackReceiver;
import io.jobhook.support.Chromium;
import io.jobhook.support.RawHttp;
import io.jobhook.support.SdkCalls;
import io.jobhook.support.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in Debian's Chromium, driven through ChromeDriver: sign-in (wrong, by keyboard,
 * forged cookie, signed out), a job submitted through the SDK appearing in the list and its page
 * following it to Success without a reload, its callback attempts, a receiver fixed and the
 * callback redelivered, a queue paused and a forged CSRF token refused, an access key made and
 * revoked, and every page on a 390 px phone. Screenshots land in {@code
 * target/console-screenshots/}.
 */
class ConsoleIT {
  static final Path SHOTS = Path.of("target", "console-screenshots");

  @TempDir Path dataDir;
  @TempDir Path browserProfile;
  TestNode node;
  WebDriver browser;
  String base;

  @BeforeEach
  void start() throws Exception {
    node = TestNode.start(dataDir, RetryPolicy.parse("0s,100ms,200ms"));
    base = "http://127.0.0.1:" + node.port();
    browser = Chromium.start(browserProfile);
    Files.createDirectories(SHOTS);
  }

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    node.close();
  }

  @Test
  void an_operator_signs_in_watches_a_job_redelivers_its_callback_and_pauses_a_queue()
      throws Exception {
    // nothing without a session: the console sends everyone to the sign-in
    browser.get(base + "/console/jobs");
    assertThat(browser.getCurrentUrl()).endsWith("/console/signin");
    shot("01-signin");

    // a wrong key is refused
    signIn(TestNode.CREDENTIALS.secretId(), "not-the-key");
    await("the refusal", () -> !browser.findElements(By.id("signin-error")).isEmpty());
    assertThat(text(By.id("signin-error"))).contains("wrong");
    shot("02-signin-refused");

    // signed in with the keyboard alone
    WebElement id = browser.findElement(By.id("secretId"));
    id.clear();
    id.sendKeys(
        TestNode.CREDENTIALS.secretId(), Keys.TAB, TestNode.CREDENTIALS.secretKey(), Keys.ENTER);
    await("the overview", () -> browser.getTitle().startsWith("Overview"));
    shot("03-overview-empty");

    // a job submitted through the SDK while the queue is paused: the list shows it waiting
    try (CallbackReceiver receiver = CallbackReceiver.start()) {
      AtomicInteger answer = new AtomicInteger(503);
      receiver.answer(answer::get);
      String queue = SdkCalls.defaultQueueId(node.sdk(), TestNode.BUCKET);
      setQueue(queue, "Paused");
      browser.get(base + "/console/jobs");
      String jobId =
          SdkCalls.denoiseJobs(
                  node.sdk(),
                  TestNode.BUCKET,
                  "in/console.wav",
                  16000,
                  8,
                  1,
                  "out/console-",
                  receiver.url("/hook"))
              .getFirst();
      By row = By.cssSelector("tr[data-job='" + jobId + "']");
      await("the new job's row, pushed", () -> !browser.findElements(row).isEmpty());
      assertThat(browser.findElement(row).findElement(By.className("state")).getText())
          .isIn("Submitted", "Pause");
      shot("04-jobs-list");

      // its page follows it to Success without a reload once the queue runs again
      browser.findElement(By.linkText(jobId)).click();
      await("the job page", () -> browser.getTitle().startsWith("Job " + jobId));
      ((JavascriptExecutor) browser).executeScript("window.sameDocument = true;");
      setQueue(queue, "Active");
      await("Success on the job page", () -> text(By.id("state")).equals("Success"));
      assertThat(((JavascriptExecutor) browser).executeScript("return window.sameDocument"))
          .as("updated in place, by server-sent events")
          .isEqualTo(true);
      assertThat(text(By.id("pct"))).isEqualTo("100 %");
      shot("05-job-succeeded");

      // its callback failed against the 503 receiver; every attempt is on the page
      await(
          "the callback given up",
          () -> {
            browser.navigate().refresh();
            return text(By.cssSelector(".callback .cb-state")).equals("Failed");
          });
      List<WebElement> attempts = browser.findElements(By.cssSelector(".callback tr.attempt"));
      assertThat(attempts).hasSize(3);
      assertThat(attempts.getFirst().getText()).contains("503");
      assertThat(browser.findElement(By.cssSelector("audio")).getAttribute("src"))
          .contains("/console/objects/");
      shot("06-callback-failed");

      // the receiver is fixed; one click redelivers
      answer.set(200);
      browser
          .findElement(By.xpath("//section[@class='callback']//button[text()='Redeliver']"))
          .click();
      await(
          "the callback delivered",
          () -> {
            browser.navigate().refresh();
            return text(By.cssSelector(".callback .cb-state")).equals("Delivered");
          });
      assertThat(browser.findElements(By.cssSelector(".callback tr.attempt"))).hasSize(4);
      shot("07-callback-redelivered");

      // the output can be downloaded in the signed-in browser
      String output =
          (String)
              ((JavascriptExecutor) browser)
                  .executeAsyncScript(
                      "var done = arguments[0];"
                          + "fetch(document.querySelectorAll('a[download]')[1].href)"
                          + ".then(r => r.arrayBuffer()).then(b => done(b.byteLength + ''));");
      assertThat(Long.parseLong(output)).isGreaterThan(8 * 16000 * 2);

      // an uploaded HTML page is only ever a download, never rendered on the console's origin
      var html =
          RawHttp.signedWith(
              node.port(),
              "PUT",
              RawHttp.COS_HOST,
              "/in/page.html",
              "<script>alert(1)</script>".getBytes(java.nio.charset.StandardCharsets.UTF_8),
              java.util.Map.of("Content-Type", "text/html"));
      assertThat(html.status()).isEqualTo(200);
      Object served =
          ((JavascriptExecutor) browser)
              .executeAsyncScript(
                  "var done = arguments[0];"
                      + "fetch('/console/objects/"
                      + TestNode.BUCKET
                      + "/in/page.html').then(r => done(r.headers.get('content-type') + '|'"
                      + " + r.headers.get('content-disposition')));");
      assertThat(served).isEqualTo("application/octet-stream|attachment");
    }

    // the overview counts it and draws the last hour
    browser.get(base + "/console/");
    assertThat(browser.findElement(By.id("per-minute-chart")).getAttribute("aria-label"))
        .contains("1 jobs ended in the last hour: 1 succeeded");
    shot("08-overview");

    // a queue paused from the console
    browser.get(base + "/console/queues");
    browser.findElement(By.xpath("//button[text()='Pause']")).click();
    await("Paused", () -> text(By.cssSelector("td.queue-state")).equals("Paused"));
    assertThat(queueState()).isEqualTo("Paused");
    shot("09-queue-paused");

    // MaxConcurrent and notifications edited, a refused URL refused with the API's reason
    browser.findElement(By.tagName("summary")).click();
    WebElement max = browser.findElement(By.name("maxConcurrent"));
    max.clear();
    max.sendKeys("3");
    browser.findElement(By.name("notifyUrl")).sendKeys("ftp://example.com/hook");
    tick(browser.findElement(By.cssSelector("input[name=notifyEvent][value=TaskFinish]")));
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("notifyState")))
        .selectByVisibleText("On");
    browser.findElement(By.xpath("//button[text()='Save']")).click();
    await("the refusal", () -> browser.getTitle().startsWith("Not accepted"));
    assertThat(browser.getPageSource()).contains("http");
    shot("09b-queue-url-refused");
    browser.get(base + "/console/queues");
    browser.findElement(By.tagName("summary")).click();
    max = browser.findElement(By.name("maxConcurrent"));
    max.clear();
    max.sendKeys("3");
    WebElement hook = browser.findElement(By.name("notifyUrl"));
    hook.clear();
    hook.sendKeys("http://127.0.0.1:9/notify");
    tick(browser.findElement(By.cssSelector("input[name=notifyEvent][value=TaskFinish]")));
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("notifyState")))
        .selectByVisibleText("On");
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.name("notifyFormat")))
        .selectByVisibleText("JSON");
    WebElement save = browser.findElement(By.xpath("//button[text()='Save']"));
    save.click();
    // the answer is the queues page again, whose title the page with the form has too
    await(
        "the queues page after the save",
        () ->
            ExpectedConditions.stalenessOf(save).apply(browser)
                && browser.getTitle().startsWith("Queues"));
    String described = RawHttp.signed(node.port(), "GET", RawHttp.CI_HOST, "/queue", null).text();
    assertThat(described)
        .contains("<MaxConcurrent>3</MaxConcurrent>")
        .contains("<Url>http://127.0.0.1:9/notify</Url>")
        .contains("<ResultFormat>JSON</ResultFormat>");
    shot("09c-queue-settings");

    // a forged CSRF token changes nothing
    ((JavascriptExecutor) browser)
        .executeScript(
            "document.querySelectorAll('main input[name=csrf]')"
                + ".forEach(function (i) { i.value = 'forged'; });");
    browser.findElement(By.xpath("//button[text()='Activate']")).click();
    await("the refusal", () -> browser.getTitle().startsWith("Refused"));
    assertThat(browser.getPageSource()).contains("CSRF");
    assertThat(queueState()).isEqualTo("Paused");
    shot("10-csrf-refused");

    // an access key made and revoked
    browser.get(base + "/console/keys");
    browser.findElement(By.id("buckets")).sendKeys(TestNode.BUCKET);
    browser.findElement(By.id("readOnly")).click();
    browser.findElement(By.xpath("//button[text()='Create']")).click();
    await("the new key", () -> !browser.findElements(By.id("new-secret-id")).isEmpty());
    String newKey = text(By.id("new-secret-id"));
    assertThat(newKey).startsWith("AKID");
    assertThat(text(By.id("new-secret-key"))).hasSize(32);
    shot("11-key-created");
    browser.get(base + "/console/keys");
    browser.findElement(By.cssSelector("button[aria-label='Revoke " + newKey + "']")).click();
    await("the revocation in the audit log", () -> browser.getPageSource().contains("key.revoke"));
    assertThat(browser.getPageSource()).contains("Revoked");
    shot("12-key-revoked");

    // every page fits a phone
    browser.manage().window().setSize(new Dimension(390, 844));
    for (String page : List.of("/console/", "/console/jobs", "/console/queues", "/console/keys")) {
      browser.get(base + page);
      Object overflow =
          ((JavascriptExecutor) browser)
              .executeScript(
                  "return document.documentElement.scrollWidth > window.innerWidth + 1;");
      assertThat(overflow).as(page + " wider than the phone").isEqualTo(false);
      shot("13-phone" + page.replace('/', '-'));
    }

    // a forged cookie, and the cookie of a session that was signed out, open nothing
    var cookie = browser.manage().getCookieNamed(Console.COOKIE);
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.getSameSite()).isEqualTo("Strict");
    browser.findElement(By.xpath("//button[text()='Sign out']")).click();
    await("signed out", () -> browser.getCurrentUrl().endsWith("/console/signin"));
    browser.manage().addCookie(cookie);
    browser.get(base + "/console/");
    assertThat(browser.getCurrentUrl()).endsWith("/console/signin");
    var raw =
        RawHttp.send(
            node.port(),
            "GET",
            "/console/jobs",
            java.util.Map.of("Host", "127.0.0.1", "Cookie", Console.COOKIE + "=forged"),
            null);
    assertThat(raw.status()).isEqualTo(303);
    assertThat(raw.text()).doesNotContain(TestNode.BUCKET);

    // a session past its expiry opens nothing either (its end moved back in the database)
    signIn(TestNode.CREDENTIALS.secretId(), TestNode.CREDENTIALS.secretKey());
    await("signed in again", () -> browser.getTitle().startsWith("Overview"));
    try (var db =
            java.sql.DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("jobhook.db"));
        var update = db.createStatement()) {
      update.execute("PRAGMA busy_timeout = 5000");
      assertThat(update.executeUpdate("UPDATE console_sessions SET expires_at = 0")).isPositive();
    }
    browser.get(base + "/console/jobs");
    assertThat(browser.getCurrentUrl()).endsWith("/console/signin");
    shot("14-session-expired");
  }

  @Test
  void an_operator_opens_a_workflow_graph_runs_it_by_hand_and_rotates_the_signing_secret()
      throws Exception {
    String workflowId =
        io.jobhook.support.Workflows.create(
            node.port(),
            TestNode.BUCKET,
            io.jobhook.support.Workflows.definition(
                "two-steps",
                "wf/",
                "<Start>First</Start><First>Second</First><Second>End</Second>",
                "wf-out/${InputName}-${Node}.wav",
                "First",
                "Second"));
    byte[] wav =
        io.jobhook.support.TestAudio.wav16(
            16000, io.jobhook.support.TestAudio.speechLike(16000, 1));
    assertThat(
            RawHttp.signed(node.port(), "PUT", RawHttp.COS_HOST, "/audio/take.wav", wav).status())
        .isEqualTo(200);
    signIn(TestNode.CREDENTIALS.secretId(), TestNode.CREDENTIALS.secretKey());
    await("the overview", () -> browser.getTitle().startsWith("Overview"));

    // the graph: three nodes after Start, in order
    browser.get(base + "/console/workflows");
    browser.findElement(By.linkText("two-steps")).click();
    await("the workflow page", () -> browser.getTitle().startsWith("Workflow two-steps"));
    assertThat(
            browser.findElements(By.cssSelector("#topology g.node")).stream()
                .map(g -> g.getAttribute("data-node"))
                .toList())
        .containsExactlyInAnyOrder("Start", "First", "Second", "End");
    assertThat(text(By.id("topology-words"))).contains("Second (NoiseReduction), after First");
    shot("20-workflow-graph");

    // a run triggered by hand, followed node by node
    browser.findElement(By.id("object")).sendKeys("audio/take.wav");
    browser.findElement(By.xpath("//button[text()='Trigger a run']")).click();
    await("the run page", () -> browser.getTitle().startsWith("Run "));
    await(
        "the run's success",
        () -> {
          browser.navigate().refresh();
          return text(By.id("run-state")).equals("Success");
        });
    assertThat(
            browser
                .findElement(By.cssSelector("#topology g.node[data-node='Second']"))
                .getAttribute("data-state"))
        .isEqualTo("Success");
    shot("21-workflow-run");

    // paused from its page
    browser.get(base + "/console/workflows/" + TestNode.BUCKET + "/" + workflowId);
    browser.findElement(By.xpath("//button[text()='Pause']")).click();
    await("paused", () -> text(By.id("workflow-state")).equals("Paused"));

    // the signing secret: hidden until asked for, then rotated with a grace period
    browser.get(base + "/console/secrets?bucket=" + TestNode.BUCKET);
    assertThat(browser.findElements(By.cssSelector("code.secret")))
        .allSatisfy(c -> assertThat(c.getText()).contains("••"));
    browser.findElement(By.xpath("//button[text()='Show the secrets']")).click();
    await("the secret shown", () -> text(By.cssSelector("code.secret")).startsWith("whsec_"));
    String before = text(By.cssSelector("code.secret"));
    WebElement grace = browser.findElement(By.id("graceSeconds"));
    grace.clear();
    grace.sendKeys("60");
    browser.findElement(By.xpath("//button[text()='Rotate the secret']")).click();
    await("two secrets", () -> browser.findElements(By.cssSelector("code.secret")).size() == 2);
    List<String> secrets =
        browser.findElements(By.cssSelector("code.secret")).stream()
            .map(WebElement::getText)
            .toList();
    assertThat(secrets).contains(before).hasSize(2).doesNotHaveDuplicates();
    shot("22-secret-rotated");

    // templates: listed, and one no workflow uses deleted
    var template =
        io.jobhook.support.Workflows.send(
            node.port(),
            "POST",
            TestNode.BUCKET,
            "/template",
            "<Request><Tag>NoiseReduction</Tag><Name>gentle</Name></Request>");
    assertThat(template.status()).as(template.text()).isEqualTo(200);
    browser.get(base + "/console/templates");
    assertThat(text(By.id("templates"))).contains("gentle").contains("NoiseReduction");
    shot("24-templates");
    browser.findElement(By.cssSelector("button[aria-label='Delete gentle']")).click();
    await("the template gone", () -> browser.getPageSource().contains("No templates"));

    // the callbacks page lists the run's jobs' callbacks (none asked: none) and searches
    browser.get(base + "/console/callbacks?state=Failed");
    assertThat(browser.findElement(By.id("callbacks")).getText()).contains("No callbacks match");
    shot("23-callbacks");
    // a live stream with nothing to say still speaks now and then, for proxies in front
    String session = browser.manage().getCookieNamed(Console.COOKIE).getValue();
    try (var socket = new java.net.Socket("127.0.0.1", node.port())) {
      socket.setSoTimeout(20_000);
      socket
          .getOutputStream()
          .write(
              ("GET /console/jobs/events HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: "
                      + Console.COOKIE
                      + "="
                      + session
                      + "\r\n\r\n")
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      var in =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      boolean heartbeat = false;
      for (String line;
          !heartbeat && System.nanoTime() < deadline && (line = in.readLine()) != null; ) {
        heartbeat = line.startsWith(": ");
      }
      assertThat(heartbeat).as("a comment line on an idle event stream").isTrue();
    }

    browser.get(base + "/console/keys");
    assertThat(browser.getPageSource())
        .contains("console workflow trigger")
        .contains("console workflow Paused")
        .contains("console secret rotate");
  }

  // --- helpers -------------------------------------------------------------------------------

  private void signIn(String secretId, String secretKey) {
    browser.get(base + "/console/signin");
    browser.findElement(By.id("secretId")).sendKeys(secretId);
    browser.findElement(By.id("secretKey")).sendKeys(secretKey);
    browser.findElement(By.xpath("//button[text()='Sign in']")).click();
  }

  private static void tick(WebElement checkbox) {
    if (!checkbox.isSelected()) {
      checkbox.click();
    }
  }

  private String text(By by) {
    return browser.findElement(by).getText().trim();
  }

  private void await(String what, java.util.function.BooleanSupplier condition) {
    new WebDriverWait(browser, Duration.ofSeconds(30))
        .withMessage(what)
        .until(
            d -> {
              try {
                return condition.getAsBoolean();
              } catch (RuntimeException notYet) {
                return false;
              }
            });
  }

  private void shot(String name) throws Exception {
    byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SHOTS.resolve(name + ".png"), png);
  }

  private void setQueue(String queue, String state) throws Exception {
    var r =
        RawHttp.signed(
            node.port(),
            "PUT",
            RawHttp.CI_HOST,
            "/queue/" + queue,
            RawHttp.queueState(queue, state));
    assertThat(r.status()).as(r.text()).isEqualTo(200);
  }

  private String queueState() throws Exception {
    String text = RawHttp.signed(node.port(), "GET", RawHttp.CI_HOST, "/queue", null).text();
    var m = java.util.regex.Pattern.compile("<State>(\\w+)</State>").matcher(text);
    assertThat(m.find()).as(text).isTrue();
    return m.group(1);
  }
}
