// Per-endpoint limits in the claim: max_in_flight across workers, rate limit per second, and
// isolation: a hanging endpoint never slows a healthy one.
import assert from "node:assert/strict";
import type { ServerResponse } from "node:http";
import { after, before, describe, test } from "node:test";
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
      await db.sql`select count(*)::int as n from deliveries
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
    assert.ok((row?.in_flight as number) <= 5, "the hanging endpoint stays within its limit");
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
});
