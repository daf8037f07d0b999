// Paused endpoints keep their events: an event for a disabled endpoint (by hand or by Herald)
// gets a pending delivery, counted in the 202, that spends no attempt while the endpoint is
// off, goes out once it is enabled with its whole retry window ahead of it, can be recovered,
// outlives retention, and is cancelled only when the endpoint is deleted.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { purgeOnce } from "../../src/retention/purge.ts";
import { heraldForSuite, type TestHerald, waitFor } from "../helpers.ts";
import { startReceiver } from "../support/receiver.ts";

const DAY = 86_400_000;

/** Each test's endpoint subscribes to a type of its own, named after its path. */
const typeOf = (url: string) => `paused.${new URL(url).pathname.slice(1)}`;

async function endpoint(herald: TestHerald, url: string): Promise<string> {
  const res = await herald.api("POST", "/v1/endpoints", { url, event_types: [typeOf(url)] });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

/** Sends a fanned-out event for `url`'s endpoint (by subscription); returns the 202's body. */
async function send(herald: TestHerald, url: string): Promise<{ id: string; deliveries: number }> {
  const res = await herald.api("POST", "/v1/events", { type: typeOf(url), payload: { at: 1 } });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  return res.body;
}

async function deliveryOf(herald: TestHerald, eventId: string, endpointId: string) {
  const ev = await herald.api("GET", `/v1/events/${eventId}`);
  const d = ev.body.deliveries.find((x: { endpoint_id: string }) => x.endpoint_id === endpointId);
  assert.ok(d, `no delivery of ${eventId} to ${endpointId}`);
  return (await herald.api("GET", `/v1/deliveries/${d.id}`)).body;
}

describe("paused endpoints", () => {
  const { db, herald, receiver } = heraldForSuite(
    {
      pollIntervalMs: 50,
      retryBaseMs: 20,
      // Short enough that a window started at the event's creation would be spent by the
      // time the endpoint is enabled again.
      retryWindowMs: 1_000,
      circuitFailures: 1000,
      retentionIntervalMs: 2 ** 31 - 1,
    },
    () => startReceiver(),
  );

  test("an event for an endpoint disabled by hand waits, then goes out once enabled", async () => {
    const ep = await endpoint(herald, `${receiver.url}/by-hand`);
    assert.equal((await herald.api("POST", `/v1/endpoints/${ep}/disable`)).status, 200);
    const ev = await send(herald, `${receiver.url}/by-hand`);
    assert.equal(ev.deliveries, 1, "the 202 counts the waiting delivery");
    await new Promise((r) => setTimeout(r, 300));
    const waiting = await deliveryOf(herald, ev.id, ep);
    assert.equal(waiting.status, "pending");
    assert.equal(waiting.attempt_count, 0);
    assert.equal(receiver.requests("/by-hand").length, 0);

    assert.equal((await herald.api("POST", `/v1/endpoints/${ep}/enable`)).status, 200);
    await waitFor(async () => (await deliveryOf(herald, ev.id, ep)).status === "succeeded");
    assert.deepEqual(
      receiver.requests("/by-hand").map((r) => r.headers["webhook-id"]),
      [ev.id],
    );
  });

  test("an endpoint Herald disabled (410 Gone) keeps the events sent to it afterwards", async () => {
    let gone = true;
    receiver.on("/gone", (_n, res) => res.writeHead(gone ? 410 : 200).end());
    const ep = await endpoint(herald, `${receiver.url}/gone`);
    const first = await send(herald, `${receiver.url}/gone`);
    await waitFor(async () => !(await herald.api("GET", `/v1/endpoints/${ep}`)).body.enabled);
    const later = await send(herald, `${receiver.url}/gone`);
    assert.equal(later.deliveries, 1);
    assert.equal((await deliveryOf(herald, later.id, ep)).status, "pending");

    gone = false;
    assert.equal((await herald.api("POST", `/v1/endpoints/${ep}/enable`)).status, 200);
    for (const ev of [first, later]) {
      await waitFor(async () => (await deliveryOf(herald, ev.id, ep)).status === "succeeded");
    }
  });

  test("the retry window starts at the first attempt, not while the endpoint was off", async () => {
    receiver.on("/window", (n, res) => res.writeHead(n === 1 ? 500 : 200).end());
    const ep = await endpoint(herald, `${receiver.url}/window`);
    await herald.api("POST", `/v1/endpoints/${ep}/disable`);
    const ev = await send(herald, `${receiver.url}/window`);
    // Longer than the whole 1 s window.
    await new Promise((r) => setTimeout(r, 1_500));
    await herald.api("POST", `/v1/endpoints/${ep}/enable`);
    const done = await waitFor(
      async () => {
        const d = await deliveryOf(herald, ev.id, ep);
        return d.status === "succeeded" || d.status === "failed" ? d : undefined;
      },
      10_000,
      "the delivery settled",
    );
    assert.equal(done.status, "succeeded", "the 500 was retried within a fresh window");
    assert.deepEqual(
      done.attempts.map((a: { status_code: number }) => a.status_code),
      [500, 200],
    );
  });

  test("recover re-queues failed deliveries of a disabled endpoint; they wait for the enable", async () => {
    let down = true;
    receiver.on("/recover", (_n, res) => res.writeHead(down ? 500 : 200).end());
    const ep = await endpoint(herald, `${receiver.url}/recover`);
    const since = new Date(Date.now() - 1_000).toISOString();
    const ev = await send(herald, `${receiver.url}/recover`);
    await waitFor(async () => (await deliveryOf(herald, ev.id, ep)).status === "failed", 10_000);
    const attempts = (await deliveryOf(herald, ev.id, ep)).attempt_count;
    await herald.api("POST", `/v1/endpoints/${ep}/disable`);

    const rec = await herald.api("POST", `/v1/endpoints/${ep}/recover`, { since });
    assert.equal(rec.status, 200, JSON.stringify(rec.body));
    assert.equal(rec.body.recovered, 1);
    await new Promise((r) => setTimeout(r, 300));
    const waiting = await deliveryOf(herald, ev.id, ep);
    assert.equal(waiting.status, "pending");
    assert.equal(waiting.attempt_count, attempts, "no attempt while disabled");

    down = false;
    await herald.api("POST", `/v1/endpoints/${ep}/enable`);
    await waitFor(async () => (await deliveryOf(herald, ev.id, ep)).status === "succeeded");
  });

  test("retention keeps a waiting delivery and its event; deleting the endpoint cancels it", async () => {
    const ep = await endpoint(herald, `${receiver.url}/kept`);
    await herald.api("POST", `/v1/endpoints/${ep}/disable`);
    const ev = await send(herald, `${receiver.url}/kept`);
    const result = await purgeOnce(herald.ctx, Date.now() + 60 * DAY, { pauseMs: 0 });
    assert.ok(result, "the round ran");
    const kept = await deliveryOf(herald, ev.id, ep);
    assert.equal(kept.status, "pending");

    assert.equal((await herald.api("DELETE", `/v1/endpoints/${ep}`)).status, 204);
    const [row] = await db.sql`select status from all_deliveries where id = ${kept.id}`;
    assert.equal(row?.status, "cancelled");
  });
});
