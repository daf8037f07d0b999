// Idempotent ingestion: an event id is unique per tenant. Sending the same id and payload
// again is a harmless retry (200, deduplicated, nothing new stored); the same id with another
// payload is a conflict. This must hold under concurrency, when the copies land in one
// group-commit batch or in several.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { HeraldError } from "../../src/errors.ts";
import { Ingestor, type IngestResult } from "../../src/events/ingest.ts";
import { heraldForSuite } from "../helpers.ts";

describe("idempotency", () => {
  const { db, herald } = heraldForSuite({ role: "api" });

  async function rows(): Promise<{ events: number; deliveries: number }> {
    const [r] = await db.sql<{ events: number; deliveries: number }[]>`
      select (select count(*)::int from events) as events,
             (select count(*)::int from all_deliveries) as deliveries`;
    return r!;
  }

  async function endpoint(tenant: string): Promise<string> {
    const res = await herald.api("POST", "/v1/endpoints", {
      url: "http://127.0.0.1:9/hook",
      tenant,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id;
  }

  test("the same id and payload again answers 200 deduplicated and stores nothing new", async () => {
    await endpoint("dup");
    const event = { id: "order-1", type: "order.paid", tenant: "dup", payload: { amount: 5 } };
    const first = await herald.api("POST", "/v1/events", event);
    assert.equal(first.status, 202, JSON.stringify(first.body));
    assert.equal(first.body.id, "order-1");
    assert.equal(first.body.deliveries, 1);
    assert.notEqual(first.body.deduplicated, true);
    const stored = await rows();

    // A new subscriber since the first send must not get a delivery from the retry.
    await endpoint("dup");
    const again = await herald.api("POST", "/v1/events", event);
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.deduplicated, true);
    assert.equal(again.body.id, "order-1");
    assert.equal(again.body.tenant, "dup");
    assert.equal(again.body.deliveries, first.body.deliveries);
    assert.deepEqual(await rows(), stored);

    // A repeat that names another type is still the stored event, answered as stored.
    const retyped = await herald.api("POST", "/v1/events", { ...event, type: "order.other" });
    assert.equal(retyped.status, 200);
    assert.equal(retyped.body.type, "order.paid");
    assert.deepEqual(await rows(), stored);
  });

  test("the same id with a different payload is 409 event_conflict and stores nothing", async () => {
    await endpoint("conflict");
    const event = { id: "order-2", type: "order.paid", tenant: "conflict", payload: { amount: 5 } };
    assert.equal((await herald.api("POST", "/v1/events", event)).status, 202);
    const stored = await rows();

    const other = await herald.api("POST", "/v1/events", { ...event, payload: { amount: 6 } });
    assert.equal(other.status, 409, JSON.stringify(other.body));
    assert.equal(other.body.error.code, "event_conflict");
    assert.equal(typeof other.body.error.message, "string");
    assert.deepEqual(await rows(), stored);
    const got = await herald.api("GET", "/v1/events/order-2?tenant=conflict");
    assert.deepEqual(got.body.payload, { amount: 5 });
  });

  test("the Idempotency-Key header is the event id", async () => {
    const body = { type: "user.created", payload: { user: 1 } };
    const first = await herald.api("POST", "/v1/events", body, { "idempotency-key": "key-1" });
    assert.equal(first.status, 202, JSON.stringify(first.body));
    assert.equal(first.body.id, "key-1");
    const stored = await rows();

    const again = await herald.api("POST", "/v1/events", body, { "idempotency-key": "key-1" });
    assert.equal(again.status, 200);
    assert.equal(again.body.deduplicated, true);
    assert.equal(again.body.id, "key-1");

    // The same id in the body and the header is consistent, hence the same event.
    const both = await herald.api(
      "POST",
      "/v1/events",
      { ...body, id: "key-1" },
      { "idempotency-key": "key-1" },
    );
    assert.equal(both.status, 200);
    assert.equal(both.body.deduplicated, true);
    assert.deepEqual(await rows(), stored);
  });

  test("an Idempotency-Key header and a body id that differ are refused with 400", async () => {
    const before = await rows();
    const res = await herald.api(
      "POST",
      "/v1/events",
      { id: "body-id", type: "user.created", payload: {} },
      { "idempotency-key": "header-id" },
    );
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal(res.body.error.code, "invalid_request");
    assert.deepEqual(await rows(), before);
    assert.equal((await herald.api("GET", "/v1/events/body-id")).status, 404);
    assert.equal((await herald.api("GET", "/v1/events/header-id")).status, 404);
  });

  test("the same id for two tenants is two events; ?tenant= picks one, no tenant is ambiguous", async () => {
    const before = await rows();
    const a = await herald.api("POST", "/v1/events", {
      id: "shared-1",
      tenant: "ta",
      type: "t",
      payload: { owner: "a" },
    });
    const b = await herald.api("POST", "/v1/events", {
      id: "shared-1",
      tenant: "tb",
      type: "t",
      payload: { owner: "b" },
    });
    assert.equal(a.status, 202, JSON.stringify(a.body));
    assert.equal(b.status, 202, JSON.stringify(b.body));
    assert.equal((await rows()).events, before.events + 2);

    const gotA = await herald.api("GET", "/v1/events/shared-1?tenant=ta");
    assert.equal(gotA.status, 200);
    assert.equal(gotA.body.tenant, "ta");
    assert.deepEqual(gotA.body.payload, { owner: "a" });
    const gotB = await herald.api("GET", "/v1/events/shared-1?tenant=tb");
    assert.equal(gotB.status, 200);
    assert.equal(gotB.body.tenant, "tb");
    assert.deepEqual(gotB.body.payload, { owner: "b" });

    const ambiguous = await herald.api("GET", "/v1/events/shared-1");
    assert.equal(ambiguous.status, 409);
    assert.equal(ambiguous.body.error.code, "ambiguous_event_id");
    assert.equal((await herald.api("GET", "/v1/events/shared-1?tenant=tc")).status, 404);

    // Each tenant's copy deduplicates against its own payload only.
    const againA = await herald.api("POST", "/v1/events", {
      id: "shared-1",
      tenant: "ta",
      type: "t",
      payload: { owner: "a" },
    });
    assert.equal(againA.status, 200);
    assert.equal(againA.body.deduplicated, true);
    const crossed = await herald.api("POST", "/v1/events", {
      id: "shared-1",
      tenant: "ta",
      type: "t",
      payload: { owner: "b" },
    });
    assert.equal(crossed.status, 409);
    assert.equal((await rows()).events, before.events + 2);
  });

  test("50 concurrent sends of one id and payload: one 202, the rest 200 deduplicated, one row", async () => {
    await endpoint("burst");
    await endpoint("burst");
    const before = await rows();
    const event = { id: "burst-1", tenant: "burst", type: "t", payload: { n: 1 } };
    const results = await Promise.all(
      Array.from({ length: 50 }, () => herald.api("POST", "/v1/events", event)),
    );
    const accepted = results.filter((r) => r.status === 202);
    const deduplicated = results.filter((r) => r.status === 200 && r.body.deduplicated === true);
    assert.equal(accepted.length, 1, JSON.stringify(results.map((r) => r.status)));
    assert.equal(deduplicated.length, 49);
    for (const r of results) {
      assert.equal(r.body.id, "burst-1");
      assert.equal(r.body.deliveries, 2);
    }
    const stored = await db.sql`select seq from events where id = 'burst-1' and tenant = 'burst'`;
    assert.equal(stored.length, 1);
    assert.deepEqual(await rows(), {
      events: before.events + 1,
      deliveries: before.deliveries + 2,
    });
  });

  test("concurrent sends of one id with two payloads: one stored, its copies 200, the others 409", async () => {
    const before = await rows();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        herald.api("POST", "/v1/events", {
          id: "race-1",
          tenant: "race",
          type: "t",
          payload: { side: i % 2 },
        }),
      ),
    );
    const accepted = results.filter((r) => r.status === 202);
    assert.equal(accepted.length, 1, JSON.stringify(results.map((r) => r.status)));
    const winner = (await herald.api("GET", "/v1/events/race-1?tenant=race")).body.payload.side;
    results.forEach((r, i) => {
      if (r.status === 202) assert.equal(i % 2, winner);
      else if (i % 2 === winner) {
        assert.equal(r.status, 200);
        assert.equal(r.body.deduplicated, true);
      } else {
        assert.equal(r.status, 409);
        assert.equal(r.body.error.code, "event_conflict");
      }
    });
    assert.equal((await rows()).events, before.events + 1);
  });

  test("copies of a new id inside one group-commit batch: one stored, copies deduplicated, others 409", async () => {
    const ingestor = new Ingestor(herald.ctx);
    const submit = (id: string, payload: string) =>
      ingestor.submit({ id, tenant: "batch", type: "t", payload });
    const before = await rows();
    // The first two submits occupy the writers; everything after queues and is written as
    // one batch, so the copies below meet each other inside a single insert.
    const blockers = [submit("blocker-1", "{}"), submit("blocker-2", "{}")];
    const copies = Array.from({ length: 50 }, () => submit("batch-1", '{"n":1}'));
    const conflicting = Promise.allSettled(
      Array.from({ length: 5 }, () => submit("batch-1", '{"n":2}')),
    );
    await Promise.all(blockers);
    const settled = await Promise.allSettled(copies);
    const results = settled.map((r) => {
      assert.equal(r.status, "fulfilled");
      return (r as PromiseFulfilledResult<IngestResult>).value;
    });
    assert.equal(results.filter((r) => !r.deduplicated).length, 1);
    assert.equal(results.filter((r) => r.deduplicated).length, 49);
    for (const r of await conflicting) {
      assert.equal(r.status, "rejected");
      assert.ok(r.reason instanceof HeraldError);
      assert.equal(r.reason.code, "event_conflict");
    }
    const stored = await db.sql<{ payload: string }[]>`
      select payload from events where id = 'batch-1' and tenant = 'batch'`;
    assert.deepEqual(
      stored.map((r) => r.payload),
      ['{"n":1}'],
    );
    assert.equal((await rows()).events, before.events + 3);
  });

  test("50 concurrent different events are all accepted with distinct ids, all stored", async () => {
    await endpoint("many");
    const before = await rows();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        herald.api("POST", "/v1/events", { tenant: "many", type: "t", payload: { i } }),
      ),
    );
    for (const r of results) {
      assert.equal(r.status, 202, JSON.stringify(r.body));
      assert.equal(r.body.deliveries, 1);
      assert.match(r.body.id, /^evt_/);
    }
    const ids = results.map((r) => r.body.id as string);
    assert.equal(new Set(ids).size, 50);
    const stored = await db.sql<{ id: string; payload: string }[]>`
      select id, payload from events where id = any(${ids})`;
    assert.equal(stored.length, 50);
    // Each id holds its own request's payload: the batch did not mix rows up.
    const byId = new Map(stored.map((r) => [r.id, JSON.parse(r.payload)]));
    results.forEach((r, i) => {
      assert.deepEqual(byId.get(r.body.id), { i });
    });
    assert.deepEqual(await rows(), {
      events: before.events + 50,
      deliveries: before.deliveries + 50,
    });
  });
});
