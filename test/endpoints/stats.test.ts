// GET /v1/endpoints/:id/stats: attempts, successes, success rate, p50/p95 latency and the last
// success and failure over the last hour and the last day, computed from the attempts table.
// Attempts are written directly with chosen times and durations so every figure is exact.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { heraldForSuite } from "../helpers.ts";

describe("endpoint stats", () => {
  // No worker: the only attempts are the ones this test writes.
  const { db, herald } = heraldForSuite({ role: "api" });
  let ep: string;
  let other: string;
  const now = Date.now();
  const ago = (ms: number) => new Date(now - ms);
  const MIN = 60_000;
  const HOUR = 60 * MIN;

  async function attempt(
    endpointId: string,
    deliveryId: string,
    startedAt: Date,
    durationMs: number,
    errorKind: string | null,
  ) {
    await db.sql`
      insert into attempts (delivery_id, endpoint_id, number, started_at, duration_ms, status_code, error_kind)
      values (${deliveryId}, ${endpointId}, 1, ${startedAt}, ${durationMs},
              ${errorKind === null ? 200 : errorKind === "http_error" ? 500 : null}, ${errorKind})`;
  }

  before(async () => {
    const make = async () => {
      const res = await herald.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/h" });
      assert.equal(res.status, 201);
      return res.body.id as string;
    };
    ep = await make();
    other = await make();
    const evt = await herald.api("POST", "/v1/events", {
      type: "t",
      payload: {},
      endpoint_ids: [ep, other],
    });
    assert.equal(evt.status, 202);
    const got = await herald.api("GET", `/v1/events/${evt.body.id}`);
    const dlv = (id: string) => got.body.deliveries.find((d: any) => d.endpoint_id === id).id;

    // Last hour: successes of 10, 20 and 30 ms, a 500 in 100 ms, and a try lost with its
    // worker (lease_expired, duration unknown: not in the percentiles).
    await attempt(ep, dlv(ep), ago(50 * MIN), 10, null);
    await attempt(ep, dlv(ep), ago(40 * MIN), 20, null);
    await attempt(ep, dlv(ep), ago(30 * MIN), 100, "http_error");
    await attempt(ep, dlv(ep), ago(20 * MIN), 30, null);
    await attempt(ep, dlv(ep), ago(10 * MIN), 0, "lease_expired");
    // Earlier today: a 1 s timeout.
    await attempt(ep, dlv(ep), ago(2 * HOUR), 1000, "timeout");
    // Yesterday: outside both windows.
    await attempt(ep, dlv(ep), ago(25 * HOUR), 5, null);
    // Another endpoint's attempt, inside the hour.
    await attempt(other, dlv(other), ago(5 * MIN), 7, null);
  });

  test("last hour and last day from the endpoint's attempts", async () => {
    const res = await herald.api("GET", `/v1/endpoints/${ep}/stats`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.endpoint_id, ep);
    assert.ok(Math.abs(Date.parse(res.body.as_of) - Date.now()) < 60_000);
    assert.deepEqual(res.body.last_hour, {
      attempts: 5,
      succeeded: 3,
      success_rate: 0.6,
      // percentile_cont over 10, 20, 30, 100.
      p50_duration_ms: 25,
      p95_duration_ms: 89.5,
      last_success_at: ago(20 * MIN).toISOString(),
      last_failure_at: ago(10 * MIN).toISOString(),
    });
    assert.deepEqual(res.body.last_day, {
      attempts: 6,
      succeeded: 3,
      success_rate: 0.5,
      // over 10, 20, 30, 100, 1000.
      p50_duration_ms: 30,
      p95_duration_ms: 820,
      last_success_at: ago(20 * MIN).toISOString(),
      last_failure_at: ago(10 * MIN).toISOString(),
    });
  });

  test("an endpoint without attempts has zero counts and null rates, percentiles and times", async () => {
    const res = await herald.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/idle" });
    const stats = await herald.api("GET", `/v1/endpoints/${res.body.id}/stats`);
    assert.equal(stats.status, 200);
    const empty = {
      attempts: 0,
      succeeded: 0,
      success_rate: null,
      p50_duration_ms: null,
      p95_duration_ms: null,
      last_success_at: null,
      last_failure_at: null,
    };
    assert.deepEqual(stats.body.last_hour, empty);
    assert.deepEqual(stats.body.last_day, empty);
  });

  test("the other endpoint sees only its own attempt", async () => {
    const res = await herald.api("GET", `/v1/endpoints/${other}/stats`);
    assert.equal(res.body.last_hour.attempts, 1);
    assert.equal(res.body.last_hour.p50_duration_ms, 7);
    assert.equal(res.body.last_day.attempts, 1);
  });

  test("an unknown or deleted endpoint is 404", async () => {
    const res = await herald.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/gone" });
    assert.equal((await herald.api("DELETE", `/v1/endpoints/${res.body.id}`)).status, 204);
    for (const id of ["ep_unknown", res.body.id]) {
      const stats = await herald.api("GET", `/v1/endpoints/${id}/stats`);
      assert.equal(stats.status, 404);
      assert.equal(stats.body.error.code, "endpoint_not_found");
    }
  });
});
