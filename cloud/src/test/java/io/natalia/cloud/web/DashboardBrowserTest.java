package io.natalia.cloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.natalia.cloud.auth.Role;
import io.natalia.cloud.store.TestDatabase;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}):
 * each role signs in and reads the overview, the call log is filtered and a call opened, a CSV
 * is downloaded and read, a Viewer finds no export and no reveal. Saves screenshots of the
 * main pages to {@code docs/screenshots/cloud-*.png}.
 */
class DashboardBrowserTest {
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

  @RegisterExtension static final TestDatabase db = new TestDatabase();
  @TempDir static Path folder;
  private static DashboardFixture fixture;
  private Path downloads;
  private ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    fixture = new DashboardFixture(db.dataSource(), folder);
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  @BeforeEach
  void openBrowser() throws Exception {
    downloads = Files.createTempDirectory(folder, "downloads-");
    Path profile = Files.createTempDirectory(folder, "chromium-profile-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile, "--window-size=1366,900");
    options.setAcceptInsecureCerts(true);
    options.setExperimentalOption("prefs", Map.of(
        "download.default_directory", downloads.toString(),
        "download.prompt_for_download", false));
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
  }

  @AfterEach
  void closeBrowser() {
    browser.quit();
  }

  @ParameterizedTest
  @EnumSource(Role.class)
  void everyRoleReadsOverview(Role role) {
    signIn(role);

    LocalDate today = fixture.today();
    long[] truth = fixture.traffic.incoming(today.minusDays(6), today);
    assertThat(tile("Incoming calls")).isEqualTo(Long.toString(truth[0] + truth[1]));
    assertThat(tile("Missed")).isEqualTo(Long.toString(truth[1]));
    assertThat(browser.findElement(By.cssSelector(".who")).getText())
        .contains(fixture.emails.get(role), role.name().toLowerCase());
    waitFor(() -> !browser.findElements(By.cssSelector("#chart-heatmap canvas")).isEmpty());
    assertThat(menu()).contains("Overview", "Call log", "Missed calls");
    assertThat(menu().contains("Audit log")).isEqualTo(role == Role.ADMIN
        || role == Role.AUDITOR);
    assertThat(menu().contains("Users")).isEqualTo(role == Role.ADMIN);
  }

  @Test
  void callLogFiltersAndOpensCall() {
    signIn(Role.ANALYST);
    browser.get(fixture.baseUrl() + "/calls?range=30d");

    new Select(browser.findElement(By.id("f-outcome"))).selectByValue("missed");
    waitFor(() -> browser.getCurrentUrl().contains("outcome=missed"));
    waitFor(() -> outcomes().stream().allMatch("missed"::equals));
    assertThat(outcomes()).hasSize(CallLogPages.PAGE_SIZE);

    browser.get(fixture.baseUrl() + "/calls?range=today");
    WebElement digits = browser.findElement(By.id("f-digits"));
    digits.sendKeys("5678");
    browser.findElement(By.id("apply")).click();
    waitFor(() -> browser.getCurrentUrl().contains("digits=5678"));
    waitFor(() -> browser.findElements(By.cssSelector("#calls tbody tr")).size() == 1);
    screenshot("calls");
    browser.findElement(By.cssSelector("#calls tbody tr td a")).click();

    waitFor(() -> !browser.findElements(By.id("legs")).isEmpty());
    assertThat(browser.findElements(By.cssSelector("#legs tbody tr"))).hasSize(2);
    assertThat(browser.findElement(By.id("call-facts")).getText())
        .contains("••• 5678", "G1", "Answered by 110", "Talk 3:00");
    String raw = browser.findElement(By.id("raw-1")).getAttribute("textContent");
    assertThat(raw).contains("\"callingNumber\"").doesNotContain(
        SampleTraffic.TRANSFERRED_NUMBER);
    screenshot("call");
  }

  @Test
  void analystDownloadsMissedCallsCsv() throws Exception {
    signIn(Role.ANALYST);
    browser.get(fixture.baseUrl() + "/calls?range=7d&direction=incoming&outcome=missed");

    browser.findElement(By.id("export-csv")).click();

    Path csv = waitForDownload(".csv");
    byte[] bytes = Files.readAllBytes(csv);
    assertThat(bytes).startsWith(0xEF, 0xBB, 0xBF);
    List<String> lines = List.of(new String(bytes, 3, bytes.length - 3,
        StandardCharsets.UTF_8).split("\r\n"));
    LocalDate today = fixture.today();
    long missed = fixture.traffic.incoming(today.minusDays(6), today)[1];
    assertThat(lines.get(0)).startsWith("id,pbx_id,direction,started_at,started_local,");
    assertThat(lines).hasSize((int) missed + 1);
    assertThat(lines.subList(1, lines.size()))
        .allSatisfy(line -> assertThat(line).contains(",incoming,", ",false,"));
    assertThat(lines).anySatisfy(line -> assertThat(line)
        .contains("2026-03-30 10:00:00", ",5432,", ",V08,G1,"));
  }

  @Test
  void viewerSeesNoExportNorReveal() {
    signIn(Role.VIEWER);
    browser.get(fixture.baseUrl() + "/calls?range=today&digits=5678");

    assertThat(browser.findElements(By.id("exports"))).isEmpty();
    browser.findElement(By.cssSelector("#calls tbody tr td a")).click();
    waitFor(() -> !browser.findElements(By.id("legs")).isEmpty());
    assertThat(browser.findElements(By.id("reveal"))).isEmpty();

    browser.get(fixture.baseUrl() + "/export/calls.csv?range=7d");
    assertThat(browser.findElement(By.id("error")).getText()).startsWith("403")
        .contains("cdr.export");
  }

  @Test
  void adminRevealIsAudited() {
    signIn(Role.ADMIN);
    browser.get(fixture.baseUrl() + "/calls?range=today&digits=5678");
    browser.findElement(By.cssSelector("#calls tbody tr td a")).click();
    waitFor(() -> !browser.findElements(By.id("reveal")).isEmpty());

    browser.findElement(By.id("reveal-reason")).sendKeys("caller asked to be called back");
    browser.findElement(By.id("reveal-button")).click();

    waitFor(() -> !browser.findElements(By.id("revealed")).isEmpty());
    assertThat(browser.findElement(By.id("revealed")).getText())
        .contains(SampleTraffic.TRANSFERRED_NUMBER);
    browser.get(fixture.baseUrl() + "/audit");
    assertThat(browser.findElement(By.tagName("main")).getText())
        .contains("cdr.reveal_phone", "caller asked to be called back", "intact");
    screenshot("audit");
  }

  @Test
  void mainPagesRenderOnLaptopAndPhone() {
    browser.get(fixture.baseUrl() + "/login");
    screenshot("login");
    signIn(Role.ADMIN);
    browser.manage().window().setSize(new Dimension(1366, 1200));
    for (String page : List.of("overview", "missed", "extensions", "groups", "trunks",
        "costs", "health", "alerts")) {
      browser.get(fixture.baseUrl() + "/" + page + "?range=30d");
      assertThat(browser.findElements(By.id("error"))).as(page).isEmpty();
      waitForCharts();
      screenshot(page);
    }
    browser.get(fixture.baseUrl() + "/admin/keys");
    screenshot("keys");

    browser.manage().window().setSize(new Dimension(390, 844));
    browser.get(fixture.baseUrl() + "/overview?range=7d");
    waitForCharts();
    assertThat(browser.findElement(By.cssSelector(".tiles")).getSize().getWidth())
        .isLessThanOrEqualTo(390);
    screenshot("overview-phone");
    browser.get(fixture.baseUrl() + "/missed?range=7d");
    screenshot("missed-phone");
  }

  private void signIn(Role role) {
    browser.get(fixture.baseUrl() + "/login");
    browser.findElement(By.id("email")).sendKeys(fixture.emails.get(role));
    browser.findElement(By.id("password")).sendKeys(DashboardFixture.PASSWORD);
    browser.findElement(By.id("sign-in")).click();
    waitFor(() -> browser.getCurrentUrl().endsWith("/overview"));
  }

  private String tile(String label) {
    for (WebElement tile : browser.findElements(By.cssSelector(".tile"))) {
      if (tile.findElement(By.cssSelector(".tile-label")).getText().equals(label)) {
        return tile.findElement(By.cssSelector(".tile-value")).getText();
      }
    }
    throw new AssertionError("no tile " + label);
  }

  /** Waits until ECharts has drawn every chart of the page, animations included. */
  private void waitForCharts() {
    waitFor(() -> browser.findElements(By.cssSelector(".chart")).stream()
        .allMatch(chart -> "done".equals(chart.getAttribute("data-drawn"))));
  }

  private String menu() {
    return browser.findElement(By.id("menu")).getText();
  }

  private List<String> outcomes() {
    return browser.findElements(By.cssSelector("#calls tbody tr td:nth-child(3)")).stream()
        .map(WebElement::getText).toList();
  }

  private Path waitForDownload(String suffix) throws Exception {
    waitFor(() -> {
      try (Stream<Path> files = Files.list(downloads)) {
        return files.anyMatch(f -> f.toString().endsWith(suffix));
      } catch (java.io.IOException e) {
        return false;
      }
    });
    try (Stream<Path> files = Files.list(downloads)) {
      return files.filter(f -> f.toString().endsWith(suffix)).findFirst().orElseThrow();
    }
  }

  /** Waits for the page to reach a state; the browser works asynchronously. */
  private void waitFor(java.util.function.BooleanSupplier condition) {
    new WebDriverWait(browser, Duration.ofSeconds(15)).until(driver -> condition.getAsBoolean());
  }

  private void screenshot(String name) {
    try {
      Path target = screenshots().resolve("cloud-" + name + ".png");
      Files.copy(browser.getScreenshotAs(OutputType.FILE).toPath(), target,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Returns {@code docs/screenshots} of the project, created when missing. */
  private static Path screenshots() throws java.io.IOException {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("docs/architecture.md"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no docs/architecture.md above " + Path.of("")
          .toAbsolutePath());
    }
    return Files.createDirectories(dir.resolve("docs/screenshots"));
  }
}
