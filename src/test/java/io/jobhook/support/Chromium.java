package io.jobhook.support;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's Chromium, headless, driven through its ChromeDriver. */
public final class Chromium {
  private Chromium() {}

  /**
   * A browser with its profile in {@code profile}, and {@code extraArguments} on its command line.
   */
  public static WebDriver start(Path profile, String... extraArguments) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--window-size=1280,1000"));
    arguments.addAll(List.of(extraArguments));
    options.addArguments(arguments);
    return new ChromeDriver(
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File("/usr/bin/chromedriver"))
            .usingAnyFreePort()
            .build(),
        options);
  }
}
