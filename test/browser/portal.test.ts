// The merchant portal in a real browser (Debian's Chromium): the link a platform makes for one
// tenant opens the dashboard in tenant mode, showing that tenant only; the link works once and
// not after it expires; an endpoint made in the portal (with the catalogue's picker) receives
// that tenant's events, signed with the secret the portal showed; the portal works inside the
// platform's iframe, under its strict Content-Security-Policy.
// HERALD_SCREENSHOTS=1 writes docs/screenshots/portal.png from this run.
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import type { Browser, Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import {
  type MigratedDatabase,
  migratedDatabase,
  startTestHerald,
  type TestHerald,
  waitFor,
} from "../helpers.ts";
import { headersOf } from "../support/deliver.ts";
import { type Receiver, startReceiver } from "../support/receiver.ts";
import {
  cspViolations,
  ensureWebBuilt,
  launchChromium,
  screenshotPath,
  WEB_DIST,
} from "../support/web.ts";

const UI_TIMEOUT = 10_000;

describe("merchant portal in a real browser", () => {
  let db: MigratedDatabase;
  let receiver: Receiver;
  let herald: TestHerald;
  let browser: Browser;
  let platform: Server;
  let platformOrigin: string;
  const violations: string[] = [];

  async function newPage(): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.setDefaultTimeout(UI_TIMEOUT);
    violations.push(...cspViolations(page));
    return page;
  }

  async function link(body: Record<string, unknown>): Promise<{ id: string; url: string }> {
    const res = await herald.api("POST", "/v1/portal-sessions", body);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  }

  async function send(id: string, tenant: string, type = "payment.succeeded") {
    const res = await herald.api("POST", "/v1/events", { id, type, tenant, payload: { id } });
    assert.equal(res.status, 202, JSON.stringify(res.body));
  }

  before(async () => {
    ensureWebBuilt();
    browser = await launchChromium();
    db = await migratedDatabase();
    receiver = await startReceiver();
    // The platform's own site, on another origin, that shows the portal in a frame.
    platform = createServer((req, res) => {
      const src = new URL(req.url ?? "/", "http://x").searchParams.get("src") ?? "";
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<!doctype html><title>Platform</title><h1>Platform</h1>
        <iframe id="portal" src="${src.replace(/"/g, "&quot;")}" width="1200" height="700"></iframe>`);
    });
    await new Promise<void>((r) => platform.listen(0, "127.0.0.1", r));
    platformOrigin = `http://127.0.0.1:${(platform.address() as AddressInfo).port}`;
    herald = await startTestHerald(db.url, {
      role: "all",
      webDir: WEB_DIST,
      portalName: "Acme Webhooks",
      portalAccent: "#0b7a3e",
      portalFrameAncestors: [platformOrigin],
    });
    for (const [name, description] of [
      ["payment.succeeded", "A payment went through."],
      ["payment.refunded", "Money went back."],
      ["order.created", "An order was placed."],
    ]) {
      assert.equal(
        (await herald.api("POST", "/v1/event-types", { name, description })).status,
        201,
      );
    }
    for (const tenant of ["tenant-a", "tenant-b"]) {
      const ep = await herald.api("POST", "/v1/endpoints", {
        url: `${receiver.url}/${tenant}-existing`,
        tenant,
      });
      assert.equal(ep.status, 201);
      await send(`evt_${tenant}_1`, tenant);
    }
  });

  after(async () => {
    await browser?.close();
    await herald?.stop();
    await receiver?.close();
    await new Promise((r) => platform?.close(r));
    await db?.drop();
  });

  test("a tenant's link opens its portal, shows that tenant only, and leaves no token in the address", async () => {
    const page = await newPage();
    const started = performance.now();
    await page.goto((await link({ tenant: "tenant-a" })).url);
    await page.getByRole("link", { name: "evt_tenant-a_1" }).waitFor();
    const loadMs = performance.now() - started;
    process.stdout.write(`# portal: link to events list shown in ${loadMs.toFixed(0)} ms\n`);
    assert.equal(await page.locator(".brand").textContent(), "Acme Webhooks");
    assert.equal(await page.title(), "Acme Webhooks");
    assert.equal(await page.getByTestId("tenant").textContent(), "tenant-a");
    assert.ok(!page.url().includes("token"), page.url());
    assert.equal(await page.getByRole("link", { name: "Overview" }).count(), 0);
    const accent = await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue("--accent").trim(),
    );
    assert.equal(accent, "#0b7a3e");

    await page.getByRole("link", { name: "Endpoints" }).click();
    await page.getByTestId("endpoint-row").first().waitFor();
    const html = await page.content();
    assert.ok(html.includes(`${receiver.url}/tenant-a-existing`));
    for (const foreign of ["tenant-b", "evt_tenant-b_1"]) {
      assert.ok(!html.includes(foreign), `${foreign} is not shown`);
    }
    await page.getByRole("link", { name: "Events" }).click();
    await page.getByTestId("events").waitFor();
    assert.ok(!(await page.content()).includes("evt_tenant-b_1"));
    // A reload keeps the session (the cookie), without the link.
    await page.reload();
    await page.getByRole("link", { name: "evt_tenant-a_1" }).waitFor();
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === "herald_portal");
    assert.ok(session?.httpOnly, "the session cookie is httpOnly");
    assert.equal(session?.sameSite, "Strict");
    assert.equal(await page.evaluate(() => document.cookie), "", "no script can read it");
    await page.close();
  });

  test("an endpoint made in the portal, subscribed with the picker, receives the tenant's events", async () => {
    const page = await newPage();
    await page.goto((await link({ tenant: "tenant-a" })).url);
    await page.getByRole("link", { name: "Endpoints" }).click();
    await page.getByRole("button", { name: "New endpoint" }).click();
    const form = page.getByTestId("create-endpoint");
    assert.equal(await form.getByLabel("Tenant").count(), 0, "no tenant to choose");
    await form.getByLabel("URL").fill(`${receiver.url}/portal-made`);
    await form.getByTestId("type-picker").getByText("payment.*", { exact: true }).click();
    await form.getByRole("button", { name: "Create endpoint" }).click();
    const secret = (await page.getByTestId("secret").textContent()) ?? "";
    assert.match(secret, /^whsec_/);
    const shot = screenshotPath("portal.png");
    if (shot) await page.screenshot({ path: shot, fullPage: true });
    await page.getByRole("button", { name: "Done" }).click();
    await page.getByTestId("endpoint").filter({ hasText: "portal-made" }).waitFor();
    const [row] = await db.sql<{ tenant: string; event_types: string[] }[]>`
      select tenant, event_types from endpoints where url = ${`${receiver.url}/portal-made`}`;
    assert.deepEqual({ ...row }, { tenant: "tenant-a", event_types: ["payment.*"] });

    await send("evt_portal_refund", "tenant-a", "payment.refunded");
    await send("evt_portal_order", "tenant-a", "order.created");
    await send("evt_portal_other_tenant", "tenant-b", "payment.refunded");
    const [got] = await waitFor(
      () => {
        const r = receiver.requests("/portal-made");
        return r.length ? r : undefined;
      },
      10_000,
      "the portal's endpoint to receive its event",
    );
    assert.ok(got);
    assert.equal(got.headers["webhook-id"], "evt_portal_refund");
    assert.deepEqual(new Webhook(secret).verify(got.body, headersOf(got)), {
      id: "evt_portal_refund",
    });
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(receiver.requests("/portal-made").length, 1, "only its tenant's subscribed types");

    // Edited and deleted there too, the deletion asked twice.
    const card = page.getByTestId("endpoint").filter({ hasText: "portal-made" });
    await card.getByRole("button", { name: "Edit" }).click();
    await card.getByTestId("edit-endpoint").getByLabel("Requests in flight at most").fill("3");
    await card.getByRole("button", { name: "Save" }).click();
    await card.getByText("Saved.").waitFor();
    const [edited] =
      await db.sql`select max_in_flight from endpoints where url = ${`${receiver.url}/portal-made`}`;
    assert.equal(edited?.max_in_flight, 3);
    await card.getByRole("button", { name: "Delete…" }).click();
    await card
      .getByTestId("confirm-delete")
      .getByRole("button", { name: "Delete endpoint" })
      .click();
    await card.waitFor({ state: "detached" });
    const [deleted] = await db.sql`
      select deleted_at is not null as gone from endpoints where url = ${`${receiver.url}/portal-made`}`;
    assert.equal(deleted?.gone, true);
    await page.close();
  });

  test("a link works once; a reused or expired link is refused and shows nothing", async () => {
    const once = await link({ tenant: "tenant-a" });
    const first = await newPage();
    await first.goto(once.url);
    await first.getByRole("link", { name: "evt_tenant-a_1" }).waitFor();
    await first.close();

    const again = await browser.newContext();
    const reused = await again.newPage();
    await reused.goto(once.url);
    await reused.getByTestId("portal-ended").waitFor();
    assert.match((await reused.getByTestId("portal-ended").textContent()) ?? "", /already used/);
    assert.equal(await reused.locator("nav").count(), 0);

    const late = await link({ tenant: "tenant-a" });
    await db.sql`update portal_sessions set link_expires_at = now() - interval '1 second' where id = ${late.id}`;
    await reused.goto(late.url);
    await reused.getByTestId("portal-ended").waitFor();
    assert.ok(!(await reused.content()).includes("evt_tenant-a_1"));
    await again.close();
  });

  test("a read-only link shows the tenant's data without the means to change it", async () => {
    const page = await newPage();
    await page.goto((await link({ tenant: "tenant-a", read_only: true })).url);
    await page.getByRole("link", { name: "Endpoints" }).click();
    await page.getByTestId("endpoint-row").first().getByRole("button", { name: "Open" }).click();
    await page.getByTestId("endpoint").first().waitFor();
    assert.equal(await page.getByRole("button", { name: "New endpoint" }).count(), 0);
    assert.equal(await page.getByRole("button", { name: "Edit" }).count(), 0);
    assert.match((await page.getByTestId("tenant").textContent()) ?? "", /read only/);
    await page.close();
  });

  test("the portal works inside the platform's page, and every page kept the strict policy", async () => {
    const page = await newPage();
    const url = (await link({ tenant: "tenant-b" })).url;
    await page.goto(`${platformOrigin}/?src=${encodeURIComponent(url)}`);
    const frame = page.frameLocator("#portal");
    await frame.getByRole("link", { name: "evt_tenant-b_1" }).waitFor();
    assert.equal(await frame.locator(".brand").textContent(), "Acme Webhooks");
    await page.close();
    assert.deepEqual(violations, [], "no Content-Security-Policy violation");
  });
});
