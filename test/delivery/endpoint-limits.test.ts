// Per-endpoint limits in the claim: max_in_flight across workers, rate limit per second, and
// isolation: a hanging endpoint never slows a healthy one.
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { after, before, describe, test } from "node:test";
import { HOLD_FACTOR } from "../../src/queue/claim.ts";
import {
  type MigratedDatabase,
  migratedDatabase,
  startTestHerald,
  type TestHerald,
  waitFor,
} from "../helpers.ts";
import { type Receiver, startReceiver } from "../support/receiver.ts";

describe("per-endpoint limits", () => {
  let db: MigratedDatabase;
  let api: TestHerald;
  let workers: TestHerald[] = [];
  let receiver: Receiver;
  const held: ServerResponse[] = [];
  let open = 0;
  let maxOpen = 0;

  before(async () => {
    db = await migratedDatabase();
    receiver = await startReceiver();
    api = await startTestHerald(db.url, { role: "api" });
  });
  after(async () => {
    for (const res of held) res.destroy();
    for (const w of workers) await w.stop();
    await api.stop();
    await receiver.close();
    await db.drop();
  });

  async function endpoint(path: string, fields: Record<string, unknown>): Promise<string> {
    const res = await api.api("POST", "/v1/endpoints", {
      url: `${receiver.url}${path}`,
      ...fields,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id;
  }
  async function send(endpointId: string, n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await api.api("POST", "/v1/events", {
        type: "t",
        payload: { i },
        endpoint_ids: [endpointId],
      });
      assert.equal(res.status, 202);
      ids.push(res.body.id);
    }
    return ids;
  }
  const count = async (endpointId: string, status: string) =>
    (
      await db.sql`select count(*)::int as n from all_deliveries
        where endpoint_id = ${endpointId} and status = ${status}`
    )[0]?.n as number;

  test("max_in_flight holds across two workers: never more requests open than allowed", async () => {
    const ep = await endpoint("/slow", { max_in_flight: 3, event_types: [] });
    receiver.on("/slow", (_n, res) => {
      open++;
      maxOpen = Math.max(maxOpen, open);
      held.push(res);
      setTimeout(() => {
        open--;
        res.writeHead(200).end();
      }, 60);
    });
    workers = [
      await startTestHerald(db.url, { role: "worker", workerConcurrency: 16 }),
      await startTestHerald(db.url, { role: "worker", workerConcurrency: 16 }),
    ];
    await send(ep, 30);
    await waitFor(async () => (await count(ep, "succeeded")) === 30, 20_000, "30 deliveries");
    assert.equal(maxOpen, 3, `at most 3 open at once, saw ${maxOpen}`);
    const [row] = await db.sql`select in_flight from endpoints where id = ${ep}`;
    assert.equal(row?.in_flight, 0, "every slot given back");
  });

  test("a hanging endpoint does not delay a healthy one", async () => {
    const hanging = await endpoint("/hang", { max_in_flight: 5, event_types: [] });
    const healthy = await endpoint("/ok", { max_in_flight: 10, event_types: [] });
    // It answered once (a success on record, so its full max_in_flight is used), then hangs:
    // never answered again, each attempt runs into the timeout.
    receiver.on("/hang", (n, res) => {
      if (n === 1) res.writeHead(200).end();
      else held.push(res);
    });
    await send(hanging, 1);
    await waitFor(async () => (await count(hanging, "succeeded")) === 1, 10_000, "its success");
    // The hanging endpoint's backlog comes first in the queue, the healthy one's after it.
    await send(hanging, 60);
    await waitFor(
      () => receiver.requests("/hang").length >= 6,
      10_000,
      "hanging endpoint saturated",
    );
    await send(healthy, 60);
    await waitFor(
      async () => (await count(healthy, "succeeded")) === 60,
      20_000,
      "healthy deliveries",
    );
    assert.equal(await count(hanging, "succeeded"), 1);
    const [row] = await db.sql`select in_flight from endpoints where id = ${hanging}`;
    // It had a success, so a worker may hold more of it than its limit (waiting, unsent).
    assert.ok(
      (row?.in_flight as number) <= 5 * HOLD_FACTOR,
      "the hanging endpoint stays within what may be held",
    );
    assert.ok(receiver.requests("/hang").length <= 6, "its success, then no more than 5 attempts");
  });

  test("rate_limit_per_second: no more attempts in any second than the limit", async () => {
    const ep = await endpoint("/limited", { rate_limit_per_second: 4, event_types: [] });
    await send(ep, 12);
    await waitFor(async () => (await count(ep, "succeeded")) === 12, 15_000, "12 deliveries");
    const perSecond = await db.sql<{ n: number }[]>`
      select count(*)::int as n from attempts where endpoint_id = ${ep}
      group by date_trunc('second', started_at)`;
    assert.ok(perSecond.length >= 3, `spread over at least 3 seconds, got ${perSecond.length}`);
    for (const s of perSecond) assert.ok(s.n <= 4, `at most 4 attempts in a second, saw ${s.n}`);
  });
  test("a worker holding a backlog beyond max_in_flight still never has more open; failures give the waiting ones back uncounted", async () => {
    // A healthy endpoint (it has had a success) with a backlog due at once: a worker may hold
    // several times max_in_flight of it (queue/claim.ts, HOLD_FACTOR).
    for (const w of workers.splice(0)) await w.stop(); // the earlier test's
    const ep = await endpoint("/held", { max_in_flight: 3, event_types: [] });
    await db.sql`update endpoints set last_success_at = now() where id = ${ep}`;
    let heldOpen = 0;
    let heldMax = 0;
    let served = 0;
    receiver.on("/held", (_n, res) => {
      heldOpen++;
      heldMax = Math.max(heldMax, heldOpen);
      served++;
      // From the 41st request on it fails: the endpoint turns suspect while deliveries wait.
      const status = served > 40 ? 500 : 200;
      setTimeout(() => {
        heldOpen--;
        res.writeHead(status).end();
      }, 30);
    });
    const ids = await send(ep, 60);
    const pair = [
      await startTestHerald(db.url, { role: "worker", workerConcurrency: 16 }),
      await startTestHerald(db.url, { role: "worker", workerConcurrency: 16 }),
    ];
    let mostHeld = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const [row] = await db.sql`select in_flight from endpoints where id = ${ep}`;
        mostHeld = Math.max(mostHeld, row?.in_flight ?? 0);
      }
    })();
    try {
      await waitFor(
        async () => ((await count(ep, "succeeded")) === 40 && served >= 41 ? true : undefined),
        20_000,
        "40 successes and then failures",
      );
    } finally {
      sampling = false;
      await sampler;
      for (const w of pair) await w.stop();
    }
    assert.ok(heldMax <= 3, `at most 3 open at once, saw ${heldMax}`);
    assert.ok(mostHeld > 3, `a worker held more than max_in_flight (most in flight: ${mostHeld})`);
    // No delivery was sent twice while it succeeded, and every counted attempt was made.
    const succeededTwice = receiver.webhookIds().filter((id, i, all) => all.indexOf(id) !== i);
    assert.ok(succeededTwice.length <= served - 40, "only failed deliveries were sent again");
    const [phantom] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from all_deliveries d
      where d.endpoint_id = ${ep}
        and d.attempts <> (select count(*) from attempts a where a.delivery_id = d.id)`;
    assert.equal(phantom?.n, 0, "attempts counted equal attempts made (given-back ones uncounted)");
    const [row] = await db.sql`select in_flight from endpoints where id = ${ep}`;
    assert.equal(row?.in_flight, 0, "every slot given back");
    assert.equal(ids.length, 60);
  });
});
