package dev.cairn.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.Repository;
import dev.cairn.dataset.DatasetRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The UI in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, which
 * bin/test installs): pages, the DAG, compare, a download, and a hostile file name. Skipped when
 * Chromium is not installed. Screenshots of every page go to {@code target/web-screenshots/}.
 */
class WebBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "web-screenshots");

  @TempDir static Path tmp;
  static WebFixture fixture;
  static Repository repository;
  static WebServer server;
  static WebDriver browser;
  static Path downloads;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "Chromium is not installed (apt-get install chromium chromium-driver; bin/test does it)");
    fixture = WebFixture.build(tmp);
    repository = Repository.open(fixture.repoDir);
    server = WebServer.start(DatasetRepository.of(repository), "127.0.0.1", 0, message -> {
      throw new AssertionError("server failure: " + message);
    });
    downloads = Files.createDirectories(tmp.resolve("downloads"));
    Files.createDirectories(SCREENSHOTS);
    browser = chromium(tmp.resolve("chromium-profile"), downloads);
  }

  static WebDriver chromium(Path profile, Path downloadDir) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-gpu", "--no-first-run", "--disable-component-update", "--disable-sync", "--window-size=1400,1000",
        "--user-data-dir=" + profile.toAbsolutePath());
    options.setExperimentalOption("prefs", Map.of("download.default_directory", downloadDir.toAbsolutePath().toString(),
        "download.prompt_for_download", false));
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    // Headless Chromium ignores the download preference unless told through the DevTools protocol.
    driver.executeCdpCommand("Browser.setDownloadBehavior",
        Map.of("behavior", "allow", "downloadPath", downloadDir.toAbsolutePath().toString(), "eventsEnabled", false));
    return driver;
  }

  @AfterAll
  static void stop() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
    if (repository != null) {
      repository.close();
    }
  }

  static void open(String path) {
    browser.get("http://127.0.0.1:" + server.port() + path);
  }

  /** Waits for a navigation a click started to land on a path starting with {@code prefix}. */
  static String awaitPath(String prefix) {
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> path().startsWith(prefix));
    return path();
  }

  static String path() {
    String url = browser.getCurrentUrl();
    return url.substring(url.indexOf('/', "http://".length()));
  }

  /** A screenshot of the whole page (the window is stretched to the page's height first). */
  static void screenshot(String name) throws IOException {
    long height = (Long) ((JavascriptExecutor) browser).executeScript("return document.documentElement.scrollHeight");
    browser.manage().window().setSize(new Dimension(1400, (int) Math.min(6000, Math.max(800, height + 20))));
    Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    browser.manage().window().setSize(new Dimension(1400, 1000));
  }

  static List<WebElement> all(String css) {
    return browser.findElements(By.cssSelector(css));
  }

  static WebElement one(String css) {
    return browser.findElement(By.cssSelector(css));
  }

  @Test
  void homeListsAndSearchesDatasets() throws IOException {
    open("/");
    assertThat(all("#datasets tbody tr")).hasSize(3);
    screenshot("home");
    WebElement box = one("main input[name=q]");
    box.sendKeys("extra");
    box.submit();
    awaitPath("/?q=extra");
    assertThat(all("#datasets tbody tr")).extracting(WebElement::getText).singleElement().asString().contains("pets-extra");
    open("/?tag=raw");
    assertThat(all("#datasets a.dataset-link")).extracting(WebElement::getText).containsExactly("pets");
  }

  @Test
  void datasetPageChartsVersionsAndComparesTwo() throws IOException {
    open("/");
    browser.findElement(By.linkText("pets")).click();
    awaitPath("/dataset");
    assertThat(all("figure.chart")).hasSize(3);
    assertThat(all("figure.chart a.bar")).hasSize(6);
    assertThat(all("#versions tbody tr")).hasSize(2);
    screenshot("dataset");
    one("#compare-form button[type=submit]").click();
    assertThat(awaitPath("/compare")).contains("source=" + fixture.v1, "target=" + fixture.v2);
    assertThat(all("#changes tbody tr")).extracting(r -> r.getAttribute("data-path"))
        .containsExactly("data.bin", "images/bird.png", "labels.csv");
    screenshot("compare");
    one("#swap").click();
    assertThat(awaitPath("/compare?source=" + fixture.v2)).contains("target=" + fixture.v1);
    assertThat(one("#changes tbody tr[data-path='data.bin']").getText()).containsIgnoringCase("added");
  }

  @Test
  void versionPagesShowEverything() throws IOException {
    open("/versions/" + fixture.v2);
    assertThat(one("main").getText()).contains("size of the files", "size stored", "run-42", "pets 1.0.0");
    screenshot("version");
    one("nav.tabs a[data-tab=log]").click();
    awaitPath("/versions/" + fixture.v2 + "/log");
    assertThat(all("#log tbody tr")).isNotEmpty();
    assertThat(one("#log").getText()).contains("create", "sync");
    screenshot("version-log");
    one("nav.tabs a[data-tab=changes]").click();
    awaitPath("/versions/" + fixture.v2 + "/changes");
    assertThat(all("#changes tbody tr")).hasSize(3);
    assertThat(one("#changes tr[data-path='data.bin']").getText()).containsIgnoringCase("removed").contains("pets 1.0.0");
    assertThat(one("#changes tr[data-path='images/bird.png']").getText()).containsIgnoringCase("added").contains("pets 1.0.1");
    screenshot("version-changes");
    one("a[data-filter=removed]").click();
    awaitPath("/versions/" + fixture.v2 + "/changes?type=removed");
    assertThat(all("#changes tbody tr")).hasSize(1);
    one("nav.tabs a[data-tab=files]").click();
    awaitPath("/versions/" + fixture.v2 + "/files");
    assertThat(all("#files tbody tr")).hasSize(fixture.v2Files.size());
    screenshot("version-files");
    WebElement filter = one("input[name=filter]");
    filter.sendKeys("images/*.png");
    filter.submit();
    awaitPath("/versions/" + fixture.v2 + "/files?filter=");
    assertThat(all("#files tbody tr")).extracting(r -> r.getAttribute("data-path"))
        .containsExactly("images/bird.png", "images/cat.png", "images/dog.png");
  }

  @Test
  void previewShowsImagesTablesAndText() throws IOException {
    open(Links.preview(fixture.v2, "images/cat.png"));
    WebElement img = one("img.preview");
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(d -> (Boolean) ((JavascriptExecutor) d).executeScript("return arguments[0].complete", img));
    assertThat(((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth", img)).isEqualTo(48L);
    screenshot("preview-image");
    open(Links.preview(fixture.v2, "labels.csv"));
    assertThat(all("#preview-table th")).extracting(WebElement::getText).containsExactly("image", "label", "note");
    assertThat(all("#preview-table tbody tr")).hasSize(3);
    assertThat(browser.getPageSource()).as("the whole file, not its first rows").contains("All 3 rows (the first line is taken as the header)");
    screenshot("preview-csv");
    open(Links.preview(fixture.v2, "notes/readme.txt"));
    assertThat(one("#preview-text").getText()).isEqualTo("Pets dataset\nline two");
  }

  @Test
  void lineageDagLeadsToTheParents() throws IOException {
    open("/versions/" + fixture.merged + "/lineage");
    assertThat(all("svg.dag .dag-node")).hasSize(4);
    assertThat(all("#genealogy tbody tr")).hasSize(4);
    assertThat(one("svg.dag .dag-node.focus").getAttribute("data-id")).isEqualTo(fixture.merged);
    screenshot("lineage");
    one("svg.dag a.dag-node[data-id='" + fixture.v2 + "']").click();
    assertThat(awaitPath("/versions/" + fixture.v2)).isEqualTo("/versions/" + fixture.v2);
    assertThat(one("h1").getText()).isEqualTo("pets 1.0.1");
    one("nav.tabs a[data-tab=lineage]").click();
    awaitPath("/versions/" + fixture.v2 + "/lineage");
    one("svg.dag a.dag-node[data-id='" + fixture.v1 + "']").click();
    assertThat(awaitPath("/versions/" + fixture.v1)).isEqualTo("/versions/" + fixture.v1);
    assertThat(one("h1").getText()).isEqualTo("pets 1.0.0");
  }

  @Test
  void downloadsAFileWithItsExactBytes() throws Exception {
    open(Links.preview(fixture.v1, "data.bin"));
    one("#download-file").click();
    Path file = downloads.resolve("data.bin");
    new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> Files.exists(file) && sizeOf(file) == fixture.v1Files.get("data.bin").length);
    assertThat(Files.readAllBytes(file)).isEqualTo(fixture.v1Files.get("data.bin"));
  }

  static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return -1;
    }
  }

  @Test
  void hostileFileNameShowsAsText() throws IOException {
    open("/versions/" + fixture.v1 + "/files");
    WebElement row = one("#files tr[data-path='" + WebFixture.HOSTILE_NAME + "']");
    assertThat(row.findElement(By.cssSelector("td.path a")).getText()).isEqualTo(WebFixture.HOSTILE_NAME);
    assertThat(all("img[src='x']")).isEmpty();
    assertNoAlert();
    row.findElement(By.cssSelector("td.path a")).click();
    awaitPath("/versions/" + fixture.v1 + "/preview");
    assertThat(one("#preview-path").getText()).isEqualTo(WebFixture.HOSTILE_NAME);
    assertThat(one("#preview-text").getText()).isEqualTo("just text");
    assertThat(all("img[src='x']")).isEmpty();
    assertNoAlert();
    screenshot("preview-hostile-name");
    open("/versions/" + fixture.v1);
    assertThat(one("p.description").getText()).isEqualTo(WebFixture.HOSTILE_DESCRIPTION);
    assertThat(one("#metadata").getText()).contains("<i>camera</i>");
    assertNoAlert();
  }

  static void assertNoAlert() {
    try {
      String text = browser.switchTo().alert().getText();
      throw new AssertionError("a script ran and raised an alert: " + text);
    } catch (NoAlertPresentException expected) {
      // nothing ran
    }
  }

  @Test
  void unknownVersionShowsA404Page() throws IOException {
    open("/versions/0123456789abcdef0123456789abcdef/lineage");
    assertThat(one("h1").getText()).isEqualTo("Not found");
    assertThat(one("#error-message").getText()).contains("no version with id 0123456789abcdef0123456789abcdef");
    screenshot("not-found");
  }
}
