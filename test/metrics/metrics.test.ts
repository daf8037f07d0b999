// GET /metrics against a running Herald: what it counted matches what was done (events by where
// they came in and what came of them, attempts by result and error kind, finished deliveries,
// the first attempt's delay), the database's gauges, who may read it, HERALD_METRICS_PORT,
// per-endpoint series only for the endpoints named, HERALD_METRICS=off, and promtool's check.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { API_KEY, heraldForSuite, startTestHerald, type TestHerald, waitFor } from "../helpers.ts";
import { families, promtoolCheckMetrics, sample } from "../support/metrics.ts";
import { startReceiver } from "../support/receiver.ts";

async function scrape(url: string, key: string | null = API_KEY) {
  const res = await fetch(url, key ? { headers: { authorization: `Bearer ${key}` } } : {});
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

async function keyOf(herald: TestHerald, scope: string, tenant?: string): Promise<string> {
  const res = await herald.api("POST", "/v1/api-keys", { name: scope, scope, tenant });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.key;
}

describe("GET /metrics", () => {
  const { herald, receiver } = heraldForSuite({ maxAttempts: 1, retryBaseMs: 10 }, () =>
    startReceiver(),
  );
  const metricsUrl = () => `${herald.url}/metrics`;

  test("counts what was done: events by kind and result, attempts, finished deliveries", async () => {
    receiver.on("/down", (_n, res) => res.writeHead(500).end());
    const up = await herald.api("POST", "/v1/endpoints", {
      url: `${receiver.url}/up`,
      event_types: ["up"],
    });
    const down = await herald.api("POST", "/v1/endpoints", {
      url: `${receiver.url}/down`,
      event_types: ["down"],
    });
    assert.equal(up.status, 201);
    assert.equal(down.status, 201);
    // POST /v1/events: 3 accepted, 1 deduplicated, 1 conflict, 2 rejected (bad body, no key).
    for (const id of ["evt_m1", "evt_m2", "evt_m3"]) {
      assert.equal(
        (await herald.api("POST", "/v1/events", { id, type: "up", payload: { id } })).status,
        202,
      );
    }
    const again = { id: "evt_m1", type: "up", payload: { id: "evt_m1" } };
    assert.equal((await herald.api("POST", "/v1/events", again)).status, 200);
    const other = { id: "evt_m1", type: "up", payload: { other: true } };
    assert.equal((await herald.api("POST", "/v1/events", other)).status, 409);
    assert.equal((await herald.api("POST", "/v1/events", { type: 5 })).status, 400);
    assert.equal(
      (await herald.api("POST", "/v1/events", again, { authorization: "Bearer nope" })).status,
      401,
    );
    // A batch: 2 accepted (one to the failing endpoint), 1 deduplicated, 1 invalid.
    const batch = await herald.api("POST", "/v1/events/batch", {
      events: [
        { id: "evt_b1", type: "up", payload: {} },
        { id: "evt_b2", type: "down", payload: {} },
        again,
        { type: "" },
      ],
    });
    assert.equal(batch.status, 200, JSON.stringify(batch.body));
    // A source: one accepted, one refused for its signature.
    const none = await herald.api("POST", "/v1/sources", { name: "m", provider: "none" });
    const signed = await herald.api("POST", "/v1/sources", {
      name: "s",
      provider: "hmac",
      secret: "a-long-enough-secret",
      options: { header: "X-Sig" },
    });
    const post = (path: string, headers: Record<string, string> = {}) =>
      fetch(`${herald.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: '{"type":"up"}',
      });
    assert.equal((await post(none.body.ingest_url)).status, 202);
    assert.equal((await post(signed.body.ingest_url, { "x-sig": "00" })).status, 401);

    // Deliveries: evt_m1..3 and evt_b1 succeed; evt_b2 fails (1 attempt). The source's event
    // (type "webhook") has no subscriber.
    await waitFor(async () => {
      const { text } = await scrape(metricsUrl());
      return (
        sample(text, "herald_deliveries_finished_total", { status: "succeeded" }) === 4 &&
        sample(text, "herald_deliveries_finished_total", { status: "failed" }) === 1
      );
    }, 10_000);
    const { status, type, text } = await scrape(metricsUrl());
    assert.equal(status, 200);
    assert.match(String(type), /^text\/plain; version=0\.0\.4/);
    const ingested = (kind: string, result: string) =>
      sample(text, "herald_events_ingested_total", { kind, result });
    assert.equal(ingested("api", "accepted"), 3);
    assert.equal(ingested("api", "deduplicated"), 1);
    assert.equal(ingested("api", "conflict"), 1);
    assert.equal(ingested("api", "rejected"), 2);
    assert.equal(ingested("batch", "accepted"), 2);
    assert.equal(ingested("batch", "deduplicated"), 1);
    assert.equal(ingested("batch", "rejected"), 1);
    assert.equal(ingested("source", "accepted"), 1);
    assert.equal(ingested("source", "rejected"), 1);
    assert.equal(
      sample(text, "herald_ingest_request_duration_seconds_count", { route: "/v1/events" }),
      7,
    );
    assert.equal(
      sample(text, "herald_attempts_total", { result: "succeeded", error_kind: "ok" }),
      4,
    );
    assert.equal(
      sample(text, "herald_attempts_total", { result: "failed", error_kind: "http_error" }),
      1,
    );
    assert.equal(sample(text, "herald_attempt_duration_seconds_count", { result: "succeeded" }), 4);
    assert.equal(sample(text, "herald_delivery_first_attempt_delay_seconds_count"), 5);
    assert.ok((sample(text, "herald_worker_claim_batch_size_count") ?? 0) >= 1);
    assert.equal(sample(text, "herald_worker_completion_batch_size_sum"), 5);
    // The worker's slots: all free now (the test config's concurrency).
    assert.equal(sample(text, "herald_worker_slots", { state: "busy" }), 0);
    assert.equal(
      sample(text, "herald_worker_slots", { state: "free" }),
      herald.ctx.config.workerConcurrency,
    );
    // The database's gauges.
    assert.equal(sample(text, "herald_queue_deliveries", { status: "pending" }), 0);
    assert.equal(sample(text, "herald_queue_due"), 0);
    assert.equal(sample(text, "herald_queue_oldest_due_age_seconds"), 0);
    assert.equal(sample(text, "herald_endpoints", { circuit: "closed", enabled: "true" }), 2);
    assert.ok((sample(text, "herald_db_connections", { state: "idle" }) ?? 0) >= 1);
    // Process metrics.
    assert.ok(families(text).has("process_resident_memory_bytes"));
    assert.ok(families(text).has("nodejs_eventloop_lag_seconds"));
    // No per-endpoint series unless asked for.
    assert.ok(!text.includes(up.body.id), "no endpoint id in any label");
  });

  test("the queue's gauges show what waits, and for how long", async () => {
    // An endpoint that is disabled keeps its deliveries pending and due.
    const ep = await herald.api("POST", "/v1/endpoints", {
      url: `${receiver.url}/later`,
      event_types: ["later"],
    });
    await herald.api("POST", `/v1/endpoints/${ep.body.id}/disable`, {});
    for (let i = 0; i < 3; i++) {
      await herald.api("POST", "/v1/events", { type: "later", payload: { i } });
    }
    await new Promise((r) => setTimeout(r, 2_100)); // past the gauges' cache
    const { text } = await scrape(metricsUrl());
    assert.equal(sample(text, "herald_queue_deliveries", { status: "pending" }), 3);
    assert.equal(sample(text, "herald_queue_due"), 3);
    assert.ok((sample(text, "herald_queue_oldest_due_age_seconds") ?? 0) >= 2);
    assert.equal(sample(text, "herald_endpoints", { circuit: "closed", enabled: "false" }), 1);
  });

  test("needs an admin or admin:read key; a tenant key is refused", async () => {
    assert.equal((await scrape(metricsUrl(), null)).status, 401);
    assert.equal((await scrape(metricsUrl(), "wrong")).status, 401);
    assert.equal((await scrape(metricsUrl(), await keyOf(herald, "tenant", "acme"))).status, 403);
    assert.equal((await scrape(metricsUrl(), await keyOf(herald, "admin:read"))).status, 200);
  });

  test("passes promtool check metrics", async () => {
    const { text } = await scrape(metricsUrl());
    const checked = promtoolCheckMetrics(text);
    assert.equal(checked.status, 0, checked.output);
    assert.equal(checked.output.trim(), "", "no lint findings");
  });
});

describe("HERALD_METRICS_PORT, per-endpoint series, HERALD_METRICS=off", () => {
  const { db, herald, receiver } = heraldForSuite({ role: "api" }, () => startReceiver());

  test("a worker process serves its metrics on a port of its own, without a key", async () => {
    const named = await herald.api("POST", "/v1/endpoints", { url: `${receiver.url}/named` });
    const unnamed = await herald.api("POST", "/v1/endpoints", { url: `${receiver.url}/unnamed` });
    const worker = await startTestHerald(db.url, {
      role: "worker",
      metricsPort: 0,
      metricsEndpoints: [named.body.id],
    });
    try {
      assert.equal(worker.url, undefined, "a worker serves no API");
      const url = worker.metricsUrl as string;
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      for (const endpoint_ids of [[named.body.id], [unnamed.body.id]]) {
        await herald.api("POST", "/v1/events", { type: "t", payload: {}, endpoint_ids });
      }
      await waitFor(async () => {
        const { text } = await scrape(url, null);
        return sample(text, "herald_deliveries_finished_total", { status: "succeeded" }) === 2;
      }, 10_000);
      const { status, text } = await scrape(url, null);
      assert.equal(status, 200);
      assert.equal(
        sample(text, "herald_endpoint_attempts_total", {
          endpoint: named.body.id,
          result: "succeeded",
        }),
        1,
      );
      assert.ok(!text.includes(unnamed.body.id), "only the endpoints named get series");
      assert.equal(
        sample(text, "herald_endpoint_attempt_duration_seconds_count", { endpoint: named.body.id }),
        1,
      );
      // Only GET /metrics is there.
      const other = await fetch(url.replace(/\/metrics$/, "/v1/events"));
      assert.equal(other.status, 404);
      await other.text();
    } finally {
      await worker.stop();
    }
  });

  test("HERALD_METRICS=off: nothing served, nothing counted", async () => {
    const off = await startTestHerald(db.url, { role: "api", metrics: false, metricsPort: 0 });
    try {
      assert.equal(off.metricsUrl, undefined);
      assert.equal((await scrape(`${off.url}/metrics`)).status, 404);
      assert.equal((await off.api("POST", "/v1/events", { type: "t", payload: {} })).status, 202);
      assert.equal(
        await off.ctx.metrics.registry
          .getSingleMetricAsString("herald_events_ingested_total")
          .then((t) => t.includes("} ")),
        false,
      );
    } finally {
      await off.stop();
    }
  });
});
