// The operator's pages in a real browser, over a Herald holding 10,000 endpoints: the
// endpoints table (paged, searched, narrowed by health, sorted; an endpoint edited in full and
// deleted after a question), the events list (status, delivery count and source columns; id
// prefix and payload search), the queue with why each delivery waits, sources with what they
// refused, the audit log, and the questions before destructive actions. No worker runs, so
// what waits keeps waiting. Every page must fit a 1,280 px window.
// HERALD_SCREENSHOTS=1 writes docs/screenshots/{endpoints,queue,sources}.png from this run.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
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
import { postInbound } from "../support/sources.ts";
import {
  cspViolations,
  ensureWebBuilt,
  launchChromium,
  screenshotPath,
  WEB_DIST,
} from "../support/web.ts";

const text = async (locator: Locator) => (await locator.textContent()) ?? "";
const UI_TIMEOUT = 10_000;
const MANY = 10_000;

describe("the operator's pages in a real browser", () => {
  let db: MigratedDatabase;
  let herald: TestHerald;
  let browser: Browser;
  let page: Page;
  let violations: string[] = [];
  const made: Record<string, any> = {};

  async function ok(method: string, path: string, body?: unknown): Promise<any> {
    const res = await herald.api(method, path, body);
    assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** The page is no wider than the window: nothing scrolls sideways at 1,280 px. */
  async function fitsWindow(what: string) {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 1280, `${what} is ${width} px wide in a 1,280 px window`);
  }

  const go = async (link: string, heading: string) => {
    await page.getByRole("link", { name: link, exact: true }).click();
    await page.getByRole("heading", { name: heading }).waitFor();
  };

  before(async () => {
    ensureWebBuilt();
    browser = await launchChromium();
    db = await migratedDatabase();
    herald = await startTestHerald(db.url, {
      role: "api",
      webDir: WEB_DIST,
      allowPrivateNetworks: true,
      circuitFailures: 3,
    });
    // 10,000 endpoints of 100 tenants, made in one statement (their secrets are never read here).
    await db.sql`
      insert into endpoints (id, tenant, url, secret, created_at)
      select 'ep_00bulk_' || lpad(i::text, 5, '0'), 'bulk-' || (i % 100),
             'https://m' || i || '.bulk.example/hooks', 'unused', now() - interval '1 day'
      from generate_series(1, ${MANY}) i`;
    made.broken = await ok("POST", "/v1/endpoints", {
      url: "https://broken.example/hooks",
      tenant: "acme",
    });
    made.paused = await ok("POST", "/v1/endpoints", {
      url: "https://paused.example/hooks",
      tenant: "acme",
    });
    made.edited = await ok("POST", "/v1/endpoints", {
      url: "https://edit-me.example/hooks",
      tenant: "acme",
      event_types: ["order.*"],
    });
    const soon = new Date(Date.now() + 3_600_000);
    await db.sql`update endpoints set consecutive_failures = 7, circuit_open_until = ${soon}
      where id = ${made.broken.id}`;
    await ok("POST", `/v1/endpoints/${made.paused.id}/disable`, { reason: "maintenance" });
    await ok("POST", "/v1/events", {
      id: "ord_1001",
      type: "order.paid",
      tenant: "acme",
      payload: { customer_id: "cust_001", total: 4200 },
    });
    await ok("POST", "/v1/events", {
      id: "ord_1002",
      type: "order.paid",
      tenant: "acme",
      payload: { customer_id: "cust_002", total: 990 },
    });
    await ok("POST", "/v1/events", {
      id: "inv_77",
      type: "invoice.sent",
      tenant: "acme",
      payload: { customer_id: "cust_001" },
    });
    // A retry scheduled for the edited endpoint's delivery of ord_1001.
    await db.sql`update deliveries set attempts = 2, next_attempt_at = ${soon},
        last_status_code = 503, last_error = 'HTTP 503'
      where endpoint_id = ${made.edited.id}
        and event_seq = (select seq from events where id = 'ord_1001')`;

    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(UI_TIMEOUT);
    violations = cspViolations(page);
    await page.goto(`${herald.url}/`);
    await page.getByLabel("API key").fill(API_KEY);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("heading", { name: "Overview" }).waitFor();
  });

  after(async () => {
    await browser?.close();
    await herald?.stop();
    await db?.drop();
  });

  test("10,000 endpoints: one page of 50 at a time, searched, narrowed by health, sorted", async () => {
    await go("Endpoints", "Endpoints");
    const rows = page.getByTestId("endpoint-row");
    await waitFor(async () => (await rows.count()) === 50, UI_TIMEOUT, "the first page");
    await fitsWindow("the endpoints page");
    // Newest first: the three made by the API lead.
    assert.match(await text(rows.first()), /edit-me\.example/);

    await page.getByRole("button", { name: "Next" }).click();
    await page.locator('[data-testid=page]:text("Page 2")').waitFor();
    await waitFor(async () => !(await text(rows.first())).includes("edit-me"), UI_TIMEOUT);
    assert.equal(await rows.count(), 50);
    await page.getByRole("button", { name: "Previous" }).click();
    await page.locator('[data-testid=page]:text("Page 1")').waitFor();

    const search = page.getByLabel("Search endpoints");
    await search.fill("m4242.bulk");
    await page.getByRole("button", { name: "Search" }).click();
    await waitFor(async () => (await rows.count()) === 1, UI_TIMEOUT, "one match");
    assert.match(await text(rows.first()), /https:\/\/m4242\.bulk\.example\/hooks/);
    assert.match(await text(rows.first()), /bulk-42/);

    await search.fill("");
    await page.getByLabel("Health").selectOption("circuit_open");
    await page.getByRole("button", { name: "Search" }).click();
    await waitFor(
      async () => (await rows.count()) === 1 && (await text(rows.first())).includes("broken"),
      UI_TIMEOUT,
      "the open circuit",
    );
    assert.match(await text(rows.first()), /broken\.example.*open.*7 failed/);
    await page.getByLabel("Health").selectOption("disabled");
    await page.getByRole("button", { name: "Search" }).click();
    await waitFor(
      async () => (await rows.count()) === 1 && (await text(rows.first())).includes("paused"),
      UI_TIMEOUT,
    );
    assert.match(await text(rows.first()), /disabled/);

    await page.getByRole("button", { name: "Clear" }).click();
    await page.getByRole("button", { name: "URL" }).click();
    await waitFor(
      async () => (await text(rows.first())).includes("broken.example"),
      UI_TIMEOUT,
      "sorted by URL, broken.example first",
    );
    assert.equal(await rows.count(), 50);
    const shot = screenshotPath("endpoints.png");
    if (shot) await page.screenshot({ path: shot, fullPage: false });
    await page.getByRole("button", { name: "Created" }).click();
    await waitFor(async () => (await text(rows.first())).includes("edit-me"), UI_TIMEOUT);
  });

  test("an endpoint is edited in full: URL, types, headers, limits and signature scheme", async () => {
    const row = page.getByTestId("endpoint-row").filter({ hasText: "edit-me.example" });
    await row.getByRole("button", { name: "Open" }).click();
    const card = page.locator(`[data-testid=endpoint][data-id="${made.edited.id}"]`);
    await card.getByRole("button", { name: "Edit" }).click();
    const form = card.getByTestId("edit-endpoint");
    await form.getByLabel("URL").fill("https://edited.example/hooks");
    await form.getByLabel("Other event types").fill("order.*, refund.created");
    await form.getByLabel(/Headers/).fill("X-Team: payments");
    await form.getByLabel("Requests in flight at most").fill("25");
    await form.getByLabel("Requests per second at most").fill("40");
    await form.getByLabel("Signature scheme").selectOption("hmac-sha256-hex");
    await form.getByRole("button", { name: "Save" }).click();
    await card.locator('[role=status]:text("Saved.")').waitFor();
    const stored = await ok("GET", `/v1/endpoints/${made.edited.id}`);
    assert.equal(stored.url, "https://edited.example/hooks");
    assert.deepEqual(stored.event_types, ["order.*", "refund.created"]);
    assert.deepEqual(stored.headers, { "X-Team": "payments" });
    assert.equal(stored.max_in_flight, 25);
    assert.equal(stored.rate_limit_per_second, 40);
    assert.equal(stored.signature_scheme, "hmac-sha256-hex");
    assert.match(await text(page.getByTestId("endpoint-row").first()), /edited\.example/);

    // A refused change says why and changes nothing.
    await card.getByRole("button", { name: "Edit" }).click();
    await form.getByLabel("URL").fill("ftp://edited.example/");
    await form.getByRole("button", { name: "Save" }).click();
    await card.getByRole("alert").waitFor();
    assert.match(await text(card.getByRole("alert")), /http or https/);
    assert.equal((await ok("GET", `/v1/endpoints/${made.edited.id}`)).url, stored.url);
  });

  test("the queue says why each delivery waits", async () => {
    await go("Queue", "Queue");
    const queued = page.getByTestId("queued");
    // broken and paused take all three events, edited the two order.* ones.
    await waitFor(async () => (await queued.count()) === 8, UI_TIMEOUT, "eight pending");
    await fitsWindow("the queue page");
    const reasons = await page
      .getByTestId("waiting")
      .evaluateAll((cells) =>
        cells.map((c) => `${c.getAttribute("data-reason")}: ${c.textContent}`),
      );
    const has = (pattern: RegExp) =>
      assert.ok(
        reasons.some((r) => pattern.test(r)),
        `${pattern} in ${reasons.join(" | ")}`,
      );
    has(/^circuit_open: Circuit open: next probe /);
    has(/^endpoint_disabled: Endpoint disabled/);
    has(/^retry_scheduled: Retry at /);
    has(/^due: Due/);
    const retry = queued.filter({ hasText: "Retry at" });
    assert.match(await text(retry), /ord_1001/);
    assert.match(await text(retry), /HTTP 503/);
    const shot = screenshotPath("queue.png");
    if (shot) await page.screenshot({ path: shot, fullPage: false });

    await page.getByLabel("Endpoint id").fill(made.paused.id);
    await page.getByRole("button", { name: "Filter" }).click();
    await waitFor(async () => (await queued.count()) === 3, UI_TIMEOUT, "the paused endpoint's");
  });

  test("events show status, deliveries and source, and are found by id prefix or payload field", async () => {
    await go("Events", "Events");
    const rows = page.getByTestId("event-row");
    await waitFor(async () => (await rows.count()) === 3, UI_TIMEOUT);
    await fitsWindow("the events page");
    const cells = await rows.first().locator("td").allInnerTexts();
    assert.equal(cells[1], "inv_77");
    assert.equal(cells[4], "API");
    assert.equal(cells[5], "pending");
    assert.equal(cells[6], "2");

    const search = page.getByLabel("Search events");
    await search.fill("ord_10");
    await page.getByRole("button", { name: "Search" }).click();
    const ids = page.locator("[data-testid=events] tbody tr td:nth-child(2)");
    await waitFor(
      async () => (await ids.allInnerTexts()).join() === "ord_1002,ord_1001",
      UI_TIMEOUT,
    );
    await search.fill("payload.customer_id = cust_001");
    await page.getByRole("button", { name: "Search" }).click();
    await waitFor(async () => (await ids.allInnerTexts()).join() === "inv_77,ord_1001", UI_TIMEOUT);
    await search.fill("payload.total = 990");
    await page.getByRole("button", { name: "Search" }).click();
    await waitFor(async () => (await ids.allInnerTexts()).join() === "ord_1002", UI_TIMEOUT);
    await search.fill("payload.customer_id = nobody");
    await page.getByRole("button", { name: "Search" }).click();
    await page.locator('.empty:text("No event matches.")').waitFor();
    await page.getByRole("button", { name: "Clear" }).click();
    await waitFor(async () => (await rows.count()) === 3, UI_TIMEOUT);
  });

  test("replaying an event to all its endpoints asks first", async () => {
    await page.getByRole("link", { name: "ord_1002", exact: true }).click();
    await page.getByTestId("event-detail").waitFor();
    const replays = async () =>
      (await ok("GET", "/v1/audit?action=event.replayed&subject=ord_1002")).data.length;
    await page.getByRole("button", { name: "Replay to all…" }).click();
    const confirm = page.getByTestId("confirm");
    assert.match(await text(confirm), /Send this event again to every endpoint/);
    await confirm.getByRole("button", { name: "Cancel" }).click();
    assert.equal(await page.getByTestId("confirm").count(), 0);
    assert.equal(await replays(), 0, "cancelled: nothing replayed");
    await page.getByRole("button", { name: "Replay to all…" }).click();
    await page.getByTestId("confirm").getByRole("button", { name: "Replay" }).click();
    await page.locator('[role=status]:text-matches("Replay queued")').waitFor();
    assert.equal(await replays(), 1);
  });

  test("sources show what they refused, take a new secret, and are deleted after a question", async () => {
    const source = await ok("POST", "/v1/sources", {
      name: "github-main",
      provider: "github",
      secret: "gh-secret-one",
      tenant: "acme",
    });
    const sign = (secret: string, body: string) =>
      `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
    const headers = (body: string, secret: string, delivery: string) => ({
      "content-type": "application/json",
      "x-github-event": "push",
      "x-github-delivery": delivery,
      "x-hub-signature-256": sign(secret, body),
    });
    for (const n of [1, 2]) {
      const bad = await postInbound(herald, source.id, "{}", headers("{}", "wrong", `bad-${n}`));
      assert.equal(bad.status, 401);
    }
    const first = await postInbound(
      herald,
      source.id,
      '{"a":1}',
      headers('{"a":1}', "gh-secret-one", "d-1"),
    );
    assert.equal(first.status, 202, JSON.stringify(first.body));
    const clash = await postInbound(
      herald,
      source.id,
      '{"a":2}',
      headers('{"a":2}', "gh-secret-one", "d-1"),
    );
    assert.equal(clash.status, 409);

    await go("Sources", "Sources");
    const row = page.locator(`[data-testid=source][data-id="${source.id}"]`);
    await row.waitFor();
    await fitsWindow("the sources page");
    assert.equal(await text(row.getByTestId("rejected")), "2");
    assert.equal(await text(row.getByTestId("conflicts")), "1");
    assert.match(await text(row), new RegExp(`/in/${source.id}`));
    const shot = screenshotPath("sources.png");
    if (shot) await page.screenshot({ path: shot, fullPage: false });

    // Rotated: the provider may keep signing with the old secret during the grace.
    await row.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByLabel("New secret").fill("gh-secret-two");
    await page.getByRole("button", { name: "Save secret" }).click();
    await page.locator('[role=status]:text-matches("old one is still accepted until")').waitFor();
    const sent = (body: string, secret: string, id: string) =>
      postInbound(herald, source.id, body, headers(body, secret, id));
    assert.equal((await sent('{"b":1}', "gh-secret-one", "d-2")).status, 202, "old, in grace");
    assert.equal((await sent('{"b":2}', "gh-secret-two", "d-3")).status, 202, "new");
    // Replaced at once (a leaked secret): the old one stops working now.
    await row.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByLabel("New secret").fill("gh-secret-three");
    await page.getByLabel("Accept the old secret during the rotation grace").uncheck();
    await page.getByRole("button", { name: "Save secret" }).click();
    await page.locator('[role=status]:text-matches("Secret replaced")').waitFor();
    assert.equal((await sent('{"b":3}', "gh-secret-two", "d-4")).status, 401, "replaced");
    assert.equal((await sent('{"b":3}', "gh-secret-one", "d-4")).status, 401, "grace ended");
    assert.equal((await sent('{"b":3}', "gh-secret-three", "d-4")).status, 202);

    // A new source: Herald makes its secret and shows it once.
    await page.getByRole("button", { name: "New source" }).click();
    const form = page.getByTestId("create-source");
    await form.getByLabel("Name").fill("hooks-in");
    await form.getByLabel("Provider").selectOption("standard-webhooks");
    await form.getByRole("button", { name: "Create source" }).click();
    assert.match(await text(page.getByTestId("secret")), /^whsec_/);
    assert.match(
      await text(page.getByTestId("ingest-url")),
      /^http:\/\/127\.0\.0\.1:\d+\/in\/src_/,
    );
    await page.getByRole("button", { name: "Done" }).click();
    // The new source is listed at once, first, without its secret.
    const top = page.getByTestId("sources").locator("tbody tr").first();
    await top.filter({ hasText: "hooks-in" }).waitFor({ timeout: UI_TIMEOUT });
    assert.equal(await page.getByTestId("secret").count(), 0);

    await row.getByRole("button", { name: "Delete…" }).click();
    await row.getByTestId("confirm").getByRole("button", { name: "Cancel" }).click();
    assert.equal((await herald.api("GET", `/v1/sources/${source.id}`)).status, 200);
    await row.getByRole("button", { name: "Delete…" }).click();
    await row.getByRole("button", { name: "Delete source" }).click();
    await row.waitFor({ state: "detached" });
    assert.equal((await herald.api("GET", `/v1/sources/${source.id}`)).status, 404);
  });

  test("the audit log is filtered by action, subject and actor", async () => {
    await go("Audit log", "Audit log");
    const entries = page.getByTestId("audit-entry");
    await entries.first().waitFor();
    await fitsWindow("the audit log");
    await page.getByLabel("Action").fill("endpoint.updated");
    await page.getByRole("button", { name: "Filter" }).click();
    await waitFor(async () => (await entries.count()) === 1, UI_TIMEOUT, "one endpoint.updated");
    const entry = await text(entries.first());
    assert.match(entry, new RegExp(made.edited.id));
    assert.match(entry, /edited\.example/);
    assert.match(entry, /"signature_scheme":"hmac-sha256-hex"/);
    assert.ok(!entry.includes("payments"), "header values are not in the log");

    await page.getByLabel("Action").fill("");
    await page.getByLabel("Subject").fill(made.paused.id);
    await page.getByRole("button", { name: "Filter" }).click();
    await waitFor(
      async () =>
        (await entries.allInnerTexts()).join("\n").includes("endpoint.disabled") &&
        (await entries.allInnerTexts()).every((t) => t.includes(made.paused.id)),
      UI_TIMEOUT,
      "the paused endpoint's entries",
    );
    const actor = (await text(entries.first().locator("td").nth(1))).trim();
    await entries.first().getByRole("button", { name: actor }).click();
    await waitFor(async () => (await page.getByLabel("Actor").inputValue()) === actor, UI_TIMEOUT);
  });

  test("deleting an endpoint and recovering its failures ask first", async () => {
    await go("Endpoints", "Endpoints");
    const row = page.getByTestId("endpoint-row").filter({ hasText: "paused.example" });
    await row.getByRole("button", { name: "Open" }).click();
    const card = page.locator(`[data-testid=endpoint][data-id="${made.paused.id}"]`);
    await card.getByRole("button", { name: "Recover failed…" }).click();
    await card.getByRole("button", { name: "Recover…" }).click();
    assert.match(await text(card.getByTestId("confirm")), /Send every delivery of this endpoint/);
    await card.getByRole("button", { name: "Recover them" }).click();
    await card.locator('[role=status]:text-matches("Recovered 0 failed")').waitFor();

    await card.getByRole("button", { name: "Delete…" }).click();
    await card.getByTestId("confirm-delete").waitFor();
    assert.equal((await herald.api("GET", `/v1/endpoints/${made.paused.id}`)).status, 200);
    await card.getByRole("button", { name: "Delete endpoint" }).click();
    await row.waitFor({ state: "detached" });
    assert.equal((await herald.api("GET", `/v1/endpoints/${made.paused.id}`)).status, 404);
    assert.deepEqual(violations, [], "no Content-Security-Policy violation");
  });
});
