package io.natalia.agent.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium from Debian's packages, driven by Selenium without any download: the
 * driver and the browser come from {@code /usr/bin} (Selenium Manager stays off).
 */
final class Browser implements AutoCloseable {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  /** How long a page may take to show what a step waits for; a bound, not a measure. */
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  final ChromeDriver driver;
  private final Path screenshots;

  Browser(Path profile, Path screenshots) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.setAcceptInsecureCerts(true);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--window-size=1280,1700", "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(Path.of(CHROMEDRIVER).toFile())
        .usingAnyFreePort()
        .build();
    this.driver = new ChromeDriver(service, options);
    this.screenshots = screenshots;
  }

  void open(java.net.URI uri) {
    driver.get(uri.toString());
  }

  WebElement element(String id) {
    return driver.findElement(By.id(id));
  }

  void type(String id, String text) {
    WebElement field = element(id);
    field.clear();
    field.sendKeys(text);
  }

  void click(String id) {
    element(id).click();
  }

  /** Waits until an element with this id is on the page, and returns it. */
  WebElement await(String id) {
    return new WebDriverWait(driver, PATIENCE)
        .until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
  }

  /** Waits until the condition holds, reloading the page between checks. */
  void awaitAfterReloads(java.util.function.BooleanSupplier condition) {
    new WebDriverWait(driver, PATIENCE).until(d -> {
      d.navigate().refresh();
      return condition.getAsBoolean();
    });
  }

  String path() {
    return java.net.URI.create(driver.getCurrentUrl()).getPath();
  }

  /** Saves the visible page as {@code agent-<name>.png} in the screenshot folder. */
  void screenshot(String name) throws IOException {
    Path file = driver.getScreenshotAs(OutputType.FILE).toPath();
    Files.createDirectories(screenshots);
    Files.copy(file, screenshots.resolve("agent-" + name + ".png"),
        StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
