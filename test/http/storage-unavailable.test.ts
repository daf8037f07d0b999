// Principle 1: an event is acknowledged only once it is committed. When PostgreSQL goes away
// the API must say 503 storage_unavailable (so callers retry), store nothing, and recover
// by itself once the database is back. This file runs its own embedded PostgreSQL, so it can
// stop and restart it without disturbing the other test files.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import pino from "pino";
import { connect } from "../../src/db/connect.ts";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../../src/db/embedded.ts";
import { migrate } from "../../src/db/migrate.ts";
import { callApi, startTestHerald, type TestHerald, waitFor } from "../helpers.ts";
import { freePort, spawnHerald } from "../support/processes.ts";
import { startReceiver } from "../support/receiver.ts";

describe("storage unavailable", () => {
  const log = pino({ level: "warn" });
  let dataDir: string;
  let port: number;
  let pg: EmbeddedPostgres | undefined;
  let herald: TestHerald | undefined;

  async function countEvents(url: string, ids: string[]): Promise<number> {
    const sql = connect(url, 1);
    try {
      const [row] = await sql`select count(*)::int as n from events where id = any(${ids})`;
      return row?.n as number;
    } finally {
      await sql.end({ timeout: 1 });
    }
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "herald-outage-"));
    port = await freePort();
    pg = await startEmbeddedPostgres({ dataDir, port, log });
    const sql = connect(pg.url, 1);
    await migrate(sql);
    await sql.end({ timeout: 1 });
    herald = await startTestHerald(pg.url, { role: "api" });
  });
  after(async () => {
    await herald?.stop();
    await pg?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test("while PostgreSQL is down, POST /v1/events is 503 storage_unavailable and nothing is stored; once it is back, posts succeed", async () => {
    const h = herald as TestHerald;
    const ep = await h.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/hook" });
    assert.equal(ep.status, 201, JSON.stringify(ep.body));
    const src = await h.api("POST", "/v1/sources", { name: "inbound", provider: "none" });
    assert.equal(src.status, 201, JSON.stringify(src.body));
    const first = await h.api("POST", "/v1/events", {
      id: "evt_before",
      type: "t",
      payload: { n: 0 },
    });
    assert.equal(first.status, 202, JSON.stringify(first.body));
    assert.equal(first.body.deliveries, 1);
    assert.equal((await h.api("GET", "/health/ready")).status, 200);

    await (pg as EmbeddedPostgres).stop();
    pg = undefined;

    const outage = ["evt_outage_1", "evt_outage_2"];
    for (const id of outage) {
      const res = await h.api("POST", "/v1/events", { id, type: "t", payload: { id } });
      assert.equal(res.status, 503, JSON.stringify(res.body));
      assert.equal(res.body.error.code, "storage_unavailable");
      assert.equal(typeof res.body.error.message, "string");
    }
    // A provider's webhook is answered 503 too, so the provider retries it later.
    const inbound = await fetch(`${h.url}/in/${src.body.id}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"during":"outage"}',
    });
    assert.equal(inbound.status, 503);
    assert.equal(((await inbound.json()) as any).error.code, "storage_unavailable");
    const ready = await h.api("GET", "/health/ready");
    assert.equal(ready.status, 503);
    assert.equal(ready.body.status, "unavailable");

    pg = await startEmbeddedPostgres({ dataDir, port, log });
    assert.equal(await countEvents(pg.url, ["evt_before"]), 1, "data from before the outage");
    assert.equal(await countEvents(pg.url, outage), 0, "events refused during the outage");

    // The pool reconnects on its own: a retry of a refused event is stored anew (202, not a
    // 200 deduplication, which would mean the refused write had been kept after all).
    let retried = { status: 0, body: null as any };
    await waitFor(
      async () => {
        retried = await h.api("POST", "/v1/events", {
          id: "evt_outage_1",
          type: "t",
          payload: { id: "evt_outage_1" },
        });
        return retried.status !== 503;
      },
      20_000,
      "POST /v1/events to succeed after the database came back",
    );
    assert.equal(retried.status, 202, JSON.stringify(retried.body));
    assert.equal(retried.body.deliveries, 1);
    assert.equal((await h.api("GET", "/health/ready")).status, 200);
    assert.equal(await countEvents(pg.url, outage), 1);
  });

  test("a Herald started while PostgreSQL is down waits for it: live at once, ready once it is up", async () => {
    // The server is stopped first (its data and password stay), then Herald started on its URL.
    const url = (pg as EmbeddedPostgres).url;
    await (pg as EmbeddedPostgres).stop();
    pg = undefined;
    const child = await spawnHerald([], { DATABASE_URL: url }, { waitFor: "spawned" });
    try {
      await waitFor(
        async () =>
          (await fetch(`${child.url}/health/live`).catch(() => undefined))?.status === 200,
        15_000,
        "/health/live to answer while the database is down",
      );
      const ready = await fetch(`${child.url}/health/ready`);
      assert.equal(ready.status, 503);
      assert.equal((await ready.json()).reason, "starting");
      // Its key is not stored yet: the API says "retry shortly", not "wrong key" (a 401 here
      // would be remembered as a wrong key for seconds after the start).
      const early = await callApi(child.url, "GET", "/v1/endpoints");
      assert.equal(early.status, 503, JSON.stringify(early.body));
      assert.equal(early.body.error.code, "storage_unavailable");
      await waitFor(() => child.output().includes("waiting for the database"), 10_000, "the log");
      // Past a few retries, it is still running, not exited.
      await new Promise((r) => setTimeout(r, 1_500));
      assert.ok(child.alive(), child.output());

      pg = await startEmbeddedPostgres({ dataDir, port, log });
      await waitFor(
        async () => (await fetch(`${child.url}/health/ready`)).status === 200,
        20_000,
        "/health/ready once PostgreSQL is up",
      );
      await waitFor(() => child.output().includes("Herald started"), 10_000, "started");
      const res = await callApi(child.url, "POST", "/v1/events", { type: "t", payload: {} });
      assert.equal(res.status, 202, JSON.stringify(res.body));
    } finally {
      await child.stop();
    }
  });

  test("a worker loses its database and keeps running; once it is back, NOTIFY wakes it again", async () => {
    const rx = await startReceiver();
    const h = herald as TestHerald;
    const ep = await h.api("POST", "/v1/endpoints", { url: `${rx.url}/back`, event_types: [] });
    // Polling once a minute: a delivery within seconds was woken by the event's NOTIFY.
    const worker = await spawnHerald(["--role", "worker"], {
      DATABASE_URL: (pg as EmbeddedPostgres).url,
      HERALD_POLL_INTERVAL_MS: "60000",
    });
    try {
      await (pg as EmbeddedPostgres).stop();
      pg = undefined;
      // Longer than the reaper's 5 s round, so the worker notices the outage.
      await new Promise((r) => setTimeout(r, 6_000));
      assert.ok(worker.alive(), worker.output());
      pg = await startEmbeddedPostgres({ dataDir, port, log });
      await waitFor(
        () => worker.output().includes("listening for wake-ups again"),
        15_000,
        "the listener made again",
      );
      let sent = { status: 0, body: null as any };
      await waitFor(async () => {
        sent = await h.api("POST", "/v1/events", {
          type: "t",
          payload: {},
          endpoint_ids: [ep.body.id],
        });
        return sent.status !== 503;
      }, 20_000);
      assert.equal(sent.status, 202, JSON.stringify(sent.body));
      await waitFor(
        () => rx.requests("/back").length === 1,
        20_000,
        "the delivery after the outage",
      );
      assert.ok(worker.alive());
    } finally {
      await worker.stop();
      await rx.close();
    }
  });
});
