// The dashboard in a real browser: Debian's Chromium driven by playwright-core against a real
// Herald (API, worker and the built dashboard, with a real database) and a real receiver.
// The steps follow an operator's first session and depend on each other, in order: a wrong
// key, logging in, creating an endpoint, watching events arrive, reading attempts, retrying
// a failed delivery, the overview chart, and Herald going away and coming back.
// HERALD_SCREENSHOTS=1 writes the README's screenshots (docs/screenshots/) from this run.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { Browser, Locator, Page } from "playwright-core";
import {
  API_KEY,
  type MigratedDatabase,
  migratedDatabase,
  startTestHerald,
  type TestHerald,
  waitFor,
} from "../helpers.ts";
import { freePort } from "../support/processes.ts";
import { type Receiver, startReceiver } from "../support/receiver.ts";
import {
  cspViolations,
  ensureWebBuilt,
  launchChromium,
  screenshotPath,
  WEB_DIST,
} from "../support/web.ts";

const TENANT = "merchant-42";

/** The element's text (textContent: what the DOM holds, whatever the layout). */
const text = async (locator: Locator) => (await locator.textContent()) ?? "";
const UI_TIMEOUT = 10_000;

describe("dashboard in a real browser", () => {
  let db: MigratedDatabase;
  let receiver: Receiver;
  let herald: TestHerald;
  let browser: Browser;
  let page: Page;
  let port: number;
  let violations: string[] = [];
  /** The receiver answers 500 on /hooks while this is true. */
  let failing = false;

  // A failed delivery must end quickly: two attempts, 50 ms apart at most.
  const start = () =>
    startTestHerald(db.url, { role: "all", webDir: WEB_DIST, port, maxAttempts: 2 });

  before(async () => {
    ensureWebBuilt();
    browser = await launchChromium();
    db = await migratedDatabase();
    receiver = await startReceiver();
    receiver.on("/hooks", (_n, res) =>
      failing ? res.writeHead(500).end("upstream down") : res.writeHead(200).end("thanks"),
    );
    port = await freePort();
    herald = await start();
    page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    page.setDefaultTimeout(UI_TIMEOUT);
    violations = cspViolations(page);
  });

  after(async () => {
    await browser?.close();
    await herald?.stop();
    await receiver?.close();
    await db?.drop();
  });

  const send = async (
    id: string,
    type = "payment.succeeded",
    payload: unknown = { amount: 4200 },
  ) => {
    const res = await herald.api("POST", "/v1/events", { id, type, tenant: TENANT, payload });
    assert.equal(res.status, 202, JSON.stringify(res.body));
  };

  test("a wrong key gets a clear message and shows no data", async () => {
    await page.goto(`${herald.url}/`);
    await page.getByLabel("API key").fill("hk_not-the-key");
    await page.getByRole("button", { name: "Log in" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    assert.match(await text(alert), /did not accept this key/);
    assert.equal(await page.locator("nav").count(), 0, "no dashboard without a valid key");
    assert.equal(await page.evaluate("sessionStorage.length"), 0, "a refused key is not kept");
  });

  test("the key logs in, opens a live stream with a stream token (never the key in a URL), and is kept for the tab", async () => {
    const urls: string[] = [];
    const onRequest = (r: { url(): string }) => urls.push(r.url());
    page.on("request", onRequest);
    await page.getByLabel("API key").fill(API_KEY);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.locator('[data-testid=live]:text("Live")').waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.locator('[data-testid=live]:text("Live")').waitFor();
    page.off("request", onRequest);
    const streams = urls.filter((u) => new URL(u).pathname === "/v1/stream");
    assert.ok(streams.length >= 2, `stream opened: ${streams.length}`);
    for (const u of streams)
      assert.match(new URL(u).searchParams.get("access_token") ?? "", /^hst_/);
    assert.ok(!urls.some((u) => decodeURIComponent(u).includes(API_KEY)), "no URL carries the key");
  });

  test("an endpoint is created and its secret shown once", async () => {
    await page.getByRole("link", { name: "Endpoints" }).click();
    await page.getByRole("button", { name: "New endpoint" }).click();
    const form = page.getByTestId("create-endpoint");
    await form.getByLabel("URL").fill(`${receiver.url}/hooks`);
    await form.getByLabel("Tenant").fill(TENANT);
    await form.getByRole("button", { name: "Create endpoint" }).click();
    const secret = await text(page.getByTestId("secret"));
    assert.match(secret, /^whsec_[A-Za-z0-9+/=]+$/);
    await page.getByRole("button", { name: "Done" }).click();
    assert.equal(await page.getByTestId("secret").count(), 0);
    // The new endpoint's card opens under its row in the table.
    const card = page.getByTestId("endpoint");
    await card.filter({ hasText: `${receiver.url}/hooks` }).waitFor();
    assert.match(await text(card), /closed/);
    await page.reload();
    const row = page.getByTestId("endpoint-row").filter({ hasText: `${receiver.url}/hooks` });
    await row.waitFor();
    assert.match(await text(row), /closed/);
    assert.equal(await page.getByTestId("secret").count(), 0, "the secret is never shown again");
    assert.ok(!(await page.content()).includes(secret));
  });

  test("events sent with the API appear live, without a reload", async () => {
    await page.getByRole("link", { name: "Events" }).click();
    await page.getByTestId("events").waitFor();
    await page.evaluate("window.__sameDocument = true");
    // The rows must come from the stream, not from fetching the list again.
    const listFetches: string[] = [];
    const onRequest = (r: { url(): string }) => {
      if (new URL(r.url()).pathname === "/v1/events") listFetches.push(r.url());
    };
    page.on("request", onRequest);
    const ids = ["evt_ui_1", "evt_ui_2", "evt_ui_3"];
    for (const id of ids) await send(id);
    for (const id of ids) await page.getByRole("link", { name: id, exact: true }).waitFor();
    page.off("request", onRequest);
    assert.equal(await page.evaluate("window.__sameDocument"), true, "the page was not reloaded");
    assert.deepEqual(listFetches, [], "the list was not fetched again");
    const order = await page
      .locator("[data-testid=events] tbody tr td:nth-child(2)")
      .allInnerTexts();
    assert.deepEqual(order.slice(0, 3), [...ids].reverse(), "newest first");
  });

  test("an event's detail shows its payload, delivery and attempts", async () => {
    await page.getByRole("link", { name: "evt_ui_3", exact: true }).click();
    await page.getByTestId("event-detail").waitFor();
    assert.match(await text(page.getByTestId("payload")), /"amount": 4200/);
    const delivery = page.locator('[data-testid=delivery][data-status="succeeded"]');
    await delivery.waitFor();
    const attempts = delivery.locator("tbody tr");
    assert.equal(await attempts.count(), 1);
    const cells = await attempts.first().locator("td").allInnerTexts();
    assert.equal(cells[3], "200");
    assert.equal(cells[5], "thanks");
  });

  test("a failed delivery is retried from the UI and succeeds", async () => {
    failing = true;
    await send("evt_ui_fails", "payment.failed", {
      payment_id: "pay_8c1f2e",
      amount: 990,
      currency: "EUR",
      customer: { id: "cus_42", email: "ada@example.com" },
      failure: { code: "card_declined", message: "The card was declined." },
    });
    await page.getByRole("link", { name: "Failed" }).click();
    await page.getByRole("link", { name: "evt_ui_fails", exact: true }).waitFor();
    failing = false;
    // The events list filtered by status shows it, and only events with a failed delivery.
    await page.getByRole("link", { name: "Events" }).click();
    await page.getByLabel("Status").selectOption("failed");
    await page.getByRole("button", { name: "Search" }).click();
    const ids = page.locator("[data-testid=events] tbody tr td:nth-child(2)");
    await waitFor(async () => (await ids.allInnerTexts()).join() === "evt_ui_fails", UI_TIMEOUT);
    await page.getByRole("link", { name: "evt_ui_fails", exact: true }).click();
    const delivery = page.locator('[data-testid=delivery][data-status="failed"]');
    await delivery.waitFor();
    assert.equal(await delivery.locator("tbody tr").count(), 2, "two attempts, both failed");
    assert.match(await text(delivery), /500/);
    await delivery.getByRole("button", { name: "Retry" }).click();
    const succeeded = page.locator('[data-testid=delivery][data-status="succeeded"]');
    await succeeded.waitFor();
    await waitFor(async () => (await succeeded.locator("tbody tr").count()) === 3, UI_TIMEOUT);
    const last = await succeeded.locator("tbody tr").last().locator("td").allInnerTexts();
    assert.equal(last[3], "200");
    const shot = screenshotPath("event-detail.png");
    if (shot) await page.screenshot({ path: shot, fullPage: true });
  });

  test("the overview shows counters and a chart with data", async () => {
    await page.getByRole("link", { name: "Overview" }).click();
    const chart = page.getByTestId("chart");
    await chart.waitFor();
    // Four deliveries were attempted six times so far (one failed twice, then succeeded).
    await waitFor(async () => Number(await chart.getAttribute("data-attempts")) >= 6, UI_TIMEOUT);
    assert.equal(await chart.locator("path.rate-line").count(), 1);
    const value = (tile: string) => text(page.getByTestId(`tile-${tile}`).locator(".tile-value"));
    await waitFor(async () => (await value("Events accepted")) === "4", UI_TIMEOUT);
    assert.equal(await value("Succeeded"), "4");
    assert.equal(await value("Failed"), "0");
    const shot = screenshotPath("overview.png");
    if (shot) await page.screenshot({ path: shot, fullPage: true });
  });

  test("a delivery to a disabled endpoint shows as waiting, and goes out once it is enabled", async () => {
    const eps = await herald.api("GET", `/v1/endpoints?tenant=${TENANT}`);
    const ep = eps.body.data[0].id as string;
    const off = await herald.api("POST", `/v1/endpoints/${ep}/disable`, { reason: "maintenance" });
    assert.equal(off.status, 200);
    await send("evt_ui_paused");
    await page.getByRole("link", { name: "Events" }).click();
    await page.getByRole("link", { name: "evt_ui_paused", exact: true }).click();
    const waiting = page.locator('[data-testid=delivery][data-status="pending"]');
    await waiting.getByTestId("waiting").waitFor();
    assert.match(
      await text(waiting),
      /Waiting: the endpoint is disabled \(disabled by hand: maintenance\)/,
    );
    assert.match(await text(waiting), /No attempt yet/);
    assert.equal((await herald.api("POST", `/v1/endpoints/${ep}/enable`)).status, 200);
    await page.locator('[data-testid=delivery][data-status="succeeded"]').waitFor();
    await page.getByRole("link", { name: "Overview" }).click();
  });

  test("Herald going away shows a banner, and the dashboard recovers when it returns", async () => {
    await page.getByRole("link", { name: "Events" }).click();
    await page.getByTestId("events").waitFor();
    await herald.stop();
    const banner = page.getByTestId("unreachable");
    await banner.waitFor();
    assert.match(await text(banner), /Herald is unreachable, retrying/);
    herald = await start();
    await banner.waitFor({ state: "detached", timeout: 15_000 });
    await send("evt_ui_after_restart");
    await page.getByRole("link", { name: "evt_ui_after_restart", exact: true }).waitFor();
  });

  test("every screen ran under the strict Content-Security-Policy, which refuses inline script", async () => {
    assert.deepEqual(violations, [], "no violation on any screen so far");
    const ran = await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.__injected = true";
      document.head.append(script);
      return (window as unknown as { __injected?: boolean }).__injected === true;
    });
    assert.equal(ran, false, "an injected inline script does not run");
    await waitFor(() => violations.length > 0, 5_000, "the violation to be reported");
  });
});
