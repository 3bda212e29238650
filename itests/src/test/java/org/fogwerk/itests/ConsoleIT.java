package org.fogwerk.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in headless Chromium against the built distribution, started with its own
 * scripts: login, the overview with both demo connections, a value moving on screen, a trend,
 * an operator's write reaching the machine, a viewer without write controls whose forged write
 * is refused, and a broken connection file's reason on the overview. Screenshots go to
 * {@code target/screenshots/}.
 */
public class ConsoleIT {

    private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static UnpackedNode node;
    private static String base;
    private WebDriver browser;

    @BeforeClass
    public static void startNode() throws Exception {
        assumeTrue("headless Chromium is not installed (apt-get install -y chromium chromium-driver, as .ci/run does): "
                + "the console's browser tests are skipped", Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER));
        node = UnpackedNode.unpack(Paths.get("target", "console-it").toAbsolutePath());
        Files.writeString(node.home.resolve("etc/users.properties"),
                "\nvera = vera-pw,_g_:viewers\notto = otto-pw,_g_:operators\n", java.nio.file.StandardOpenOption.APPEND);
        Files.createDirectories(SCREENSHOTS);
        base = "http://127.0.0.1:" + node.httpPort;
        node.start();
        HttpClient http = HttpClient.newHttpClient();
        // ready: both demo connections CONNECTED, uplinks and stores up
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> http.send(
                HttpRequest.newBuilder(URI.create(base + "/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    @AfterClass
    public static void stopNode() throws Exception {
        if (node != null) {
            node.stopAndWait();
        }
    }

    @Before
    public void openBrowser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--no-first-run", "--window-size=1366,768");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    @After
    public void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    public void anOperatorLogsInAndTheOverviewShowsBothDemoConnectionsConnectedWithinASecond() throws Exception {
        login("otto", "otto-pw");
        // the node is ready while a connection is still connecting: the overview turns it CONNECTED by itself
        for (String id : List.of("sim-modbus", "sim-opcua")) {
            By row = By.cssSelector("#connections tr[data-connection='" + id + "']");
            // the live table re-renders its rows: a row found a moment ago may be gone, so look again
            String text = wait(WAIT).until(d -> {
                try {
                    org.openqa.selenium.WebElement e = d.findElement(row);
                    return "CONNECTED".equals(e.getAttribute("data-state")) ? e.getText() : null;
                } catch (org.openqa.selenium.StaleElementReferenceException e) {
                    return null;
                }
            });
            assertTrue(text, text.contains("CONNECTED"));
        }
        // a fresh load of the page with the session open: from navigation start to the overview filled with data
        browser.navigate().refresh();
        wait(WAIT).until(d -> js("return window.fogwerkOverviewReadyMs !== undefined"));
        double readyMs = ((Number) js("return window.fogwerkOverviewReadyMs")).doubleValue();
        screenshot("overview");
        System.out.println("Fogwerk console: overview ready " + Math.round(readyMs) + " ms after navigation start");
        assertTrue("the overview took " + readyMs + " ms to show its data", readyMs <= 1000);
        assertFalse("a wrong password is refused in the form",
                loginFails("otto", "wrong-password").isEmpty());
    }

    @Test
    public void aLiveValueChangesOnScreenAndItsTrendShowsPoints() throws Exception {
        login("otto", "otto-pw");
        browser.get(base + "/#/connection/sim-modbus");
        By value = By.cssSelector(".vrow[data-tag='randomDouble13'] .value");
        String before = wait(WAIT).until(d -> {
            String text = d.findElement(value).getText();
            return text.isEmpty() ? null : text;
        });
        // the simulator changes it every second: the event stream brings it within 2 s
        wait(Duration.ofSeconds(2)).until(d -> !d.findElement(value).getText().equals(before));
        assertEquals("live", browser.findElement(By.id("stream")).getAttribute("data-state"));

        browser.findElement(By.cssSelector(".vrow[data-tag='randomDouble13'] button.trend")).click();
        wait(WAIT).until(d -> Integer.parseInt(d.findElement(By.id("trend")).getAttribute("data-points")) >= 3);
        assertFalse(browser.findElements(By.cssSelector("#trend canvas")).isEmpty());
        screenshot("connection-trend");
    }

    @Test
    public void anOperatorWritesASetPointAndSeesTheMachinesNewValue() throws Exception {
        login("otto", "otto-pw");
        browser.get(base + "/#/connection/sim-modbus");
        String target = "[data-tag='setpointFloat19']";
        // x.5 is exact in a float32 register
        String value = (10 + System.nanoTime() % 80) + ".5";
        waitFor(By.cssSelector(".vrow" + target + " button.write")).click();
        WebElement dialog = waitFor(By.id("write-dialog"));
        assertTrue(dialog.getText(), dialog.getText().contains("FLOAT") && dialog.getText().contains("100"));
        WebElement input = browser.findElement(By.id("write-value"));
        input.clear();
        input.sendKeys(value);
        browser.findElement(By.id("write-submit")).click();
        wait(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("write-answer"), "DONE"));
        screenshot("write-dialog");
        browser.findElement(By.id("write-close")).click();
        // the machine's answer: the value it now holds, read back by the connection and streamed
        wait(WAIT).until(d -> d.findElement(By.cssSelector(".vrow" + target + " .value")).getText()
                .replace(",", "").startsWith(value));

        // a value over the tag's maximum: the node's refusal shows in the dialog
        browser.findElement(By.cssSelector(".vrow" + target + " button.write")).click();
        input = browser.findElement(By.id("write-value"));
        input.clear();
        input.sendKeys("1000");
        browser.findElement(By.id("write-submit")).click();
        wait(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("write-answer"), "REFUSED"));
        assertTrue(browser.findElement(By.id("write-answer")).getText().contains("maximum"));
    }

    @Test
    public void aViewerSeesNoWriteControlAndAForgedWriteIsRefused() throws Exception {
        login("vera", "vera-pw");
        browser.get(base + "/#/connection/sim-modbus");
        waitFor(By.cssSelector(".vrow[data-tag='setpointFloat19']"));
        assertEquals(List.of(), browser.findElements(By.cssSelector("button.write")));
        browser.get(base + "/#/uplinks");
        waitFor(By.cssSelector("#uplinks"));
        assertEquals(List.of(), browser.findElements(By.cssSelector("button.flush")));
        screenshot("viewer-uplinks");
        browser.get(base + "/#/things");
        waitFor(By.cssSelector("#things tr[data-thing$='-sim-modbus'] a")).click();
        waitFor(By.cssSelector("#shadow tr[data-field='setpointInt3217']"));
        assertEquals(List.of(), browser.findElements(By.id("desired-form")));
        // the same request the operator's dialog sends, with the viewer's own session and CSRF token
        @SuppressWarnings("unchecked")
        Map<String, Object> forged = (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                + "fetch('/api/v1/session').then(r => r.json()).then(s => fetch('/api/v1/connectors/sim-modbus/tags/setpointFloat19/write', {"
                + "  method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': s.csrfToken},"
                + "  body: JSON.stringify({value: 12.5})}))"
                + ".then(async r => done({status: r.status, body: await r.text()}), e => done({status: -1, body: String(e)}));");
        assertEquals(forged.toString(), 403L, ((Number) forged.get("status")).longValue());
        assertTrue(forged.toString(), forged.get("body").toString().contains("needs the role operator"));
    }

    @Test
    public void anOperatorSetsDesiredStateAndSeesTheNodesAnswer() throws Exception {
        login("otto", "otto-pw");
        browser.get(base + "/#/things");
        waitFor(By.cssSelector("#things tr[data-thing$='-sim-modbus'] a")).click();
        waitFor(By.cssSelector("#shadow tr[data-field='setpointInt3217']"));
        WebElement desired = browser.findElement(By.id("desired-json"));
        desired.clear();
        desired.sendKeys("{\"setpointInt3217\": 2000}");
        browser.findElement(By.id("desired-submit")).click();
        wait(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("desired-answer"), "REFUSED"));
        assertTrue(browser.findElement(By.id("desired-answer")).getText(),
                browser.findElement(By.id("desired-answer")).getText().contains("setpointInt3217"));

        desired = browser.findElement(By.id("desired-json"));
        desired.clear();
        desired.sendKeys("{\"setpointInt3217\": ");
        browser.findElement(By.id("desired-submit")).click();
        wait(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("desired-answer"), "Not sent"));

        int value = 100 + (int) (System.nanoTime() % 500);
        desired = browser.findElement(By.id("desired-json"));
        desired.clear();
        desired.sendKeys("{\"setpointInt3217\": " + value + "}");
        browser.findElement(By.id("desired-submit")).click();
        wait(WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("desired-answer"), "DONE"));
        // the machine takes it and reports it back: reported equals desired, and no delta remains
        By row = By.cssSelector("#shadow tr[data-field='setpointInt3217']");
        wait(WAIT).until(d -> {
            List<WebElement> cells = d.findElement(row).findElements(By.tagName("td"));
            return cells.get(1).getText().equals(Integer.toString(value)) && cells.get(3).getText().isEmpty();
        });
        screenshot("thing-shadow");
    }

    @Test
    public void aBrokenConnectionFileShowsItsReasonOnTheOverview() throws Exception {
        Path broken = node.home.resolve("etc/org.fogwerk.connector.modbus-broken.cfg");
        Path temp = node.home.resolve("etc/broken.tmp");
        Files.writeString(temp, "transport = carrier-pigeon\nhost = 127.0.0.1\n");
        Files.move(temp, broken, StandardCopyOption.ATOMIC_MOVE);
        try {
            login("otto", "otto-pw");
            WebElement row = wait(WAIT).until(d -> {
                List<WebElement> rows = d.findElements(By.cssSelector("#connections tr[data-connection='broken']"));
                return rows.isEmpty() || !"FAILED".equals(rows.get(0).getAttribute("data-state")) ? null : rows.get(0);
            });
            assertTrue(row.getText(), row.getText().contains("transport = carrier-pigeon is invalid"));
            // problems first: the broken connection is the first row
            assertEquals("broken", browser.findElement(By.cssSelector("#connections tbody tr")).getAttribute("data-connection"));
            assertTrue(browser.findElement(By.id("node-health")).getText().contains("broken"));
            screenshot("overview-broken-connection");
        } finally {
            Files.delete(broken);
        }
    }

    private void login(String user, String password) {
        String error = loginFails(user, password);
        assertTrue("login of " + user + ": " + error, error.isEmpty());
        wait(WAIT).until(d -> "overview".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
    }

    /** Logs in through the form; the form's error text, empty when the console opened. */
    private String loginFails(String user, String password) {
        browser.manage().deleteAllCookies();
        browser.get(base + "/");
        waitFor(By.id("login-user")).sendKeys(user);
        browser.findElement(By.id("login-password")).sendKeys(password);
        browser.findElement(By.id("login-submit")).click();
        return wait(WAIT).until(d -> {
            if (!d.findElements(By.cssSelector("#top:not([hidden])")).isEmpty()) {
                return "";
            }
            List<WebElement> error = d.findElements(By.id("login-error"));
            return error.isEmpty() || error.get(0).getText().isEmpty() ? null : error.get(0).getText();
        });
    }

    private WebElement waitFor(By by) {
        return wait(WAIT).until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private WebDriverWait wait(Duration d) {
        WebDriverWait w = new WebDriverWait(browser, d, Duration.ofMillis(100));
        w.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return w;
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private void screenshot(String name) throws Exception {
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
