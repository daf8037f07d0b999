// POST /v1/events/batch: one request, one commit, an answer per item in request order; a bad
// item is its own error and the others are stored; the limit is 413; a bad body stores nothing.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { heraldForSuite } from "../helpers.ts";
import { snapshot } from "../support/snapshot.ts";

const TABLES = ["events", "deliveries"];

describe("batch ingest", () => {
  const { db, herald } = heraldForSuite({ role: "api", maxBatchEvents: 50 });

  const batch = (events: unknown[], headers?: Record<string, string>) =>
    herald.api("POST", "/v1/events/batch", { events }, headers);

  test("each item is answered in order: accepted, deduplicated, conflict, invalid; the valid ones stored", async () => {
    const ep = await herald.api("POST", "/v1/endpoints", {
      url: "http://127.0.0.1:9/b",
      tenant: "m1",
    });
    assert.equal(ep.status, 201);
    assert.equal(
      (
        await herald.api("POST", "/v1/events", {
          id: "evt_b_old",
          type: "t",
          tenant: "m1",
          payload: { v: 1 },
        })
      ).status,
      202,
    );
    const res = await batch([
      { id: "evt_b_1", type: "order.paid", tenant: "m1", payload: { n: 1 } },
      { id: "evt_b_old", type: "t", tenant: "m1", payload: { v: 1 } },
      { id: "evt_b_old", type: "t", tenant: "m1", payload: { v: 2 } },
      { id: "evt_b_bad", type: 5, payload: {} },
      { type: "no.id", tenant: "m1", payload: [1, 2] },
      { id: "evt_b_target", type: "t", tenant: "m1", payload: {}, endpoint_ids: ["ep_nope"] },
      { id: "evt_b_1", type: "order.paid", tenant: "m1", payload: { n: 1 } },
      "not an object",
      { id: "evt_b_x", type: "t", payload: {}, extra: true },
    ]);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const statuses = res.body.data.map((r: { status: string }) => r.status);
    assert.deepEqual(statuses, [
      "accepted",
      "deduplicated",
      "conflict",
      "invalid",
      "accepted",
      "invalid",
      "deduplicated",
      "invalid",
      "invalid",
    ]);
    const [first, , conflict, badType, noId, badTarget, , notObject, extra] = res.body.data;
    assert.deepEqual(
      { ...first, id: undefined },
      { status: "accepted", id: undefined, tenant: "m1", type: "order.paid", deliveries: 1 },
    );
    assert.equal(conflict.error.code, "event_conflict");
    assert.equal(conflict.id, "evt_b_old");
    assert.equal(badType.error.code, "invalid_request");
    assert.match(badType.error.message, /events\/3\/type/);
    assert.match(noId.id, /^evt_/);
    assert.equal(badTarget.error.code, "invalid_request");
    assert.deepEqual(badTarget.error.details, { unknown: ["ep_nope"] });
    assert.equal(notObject.error.code, "invalid_request");
    assert.equal(extra.error.code, "invalid_request");

    const stored = await db.sql<{ id: string }[]>`
      select id from events where id like 'evt_b_%' or id = ${noId.id} order by id`;
    assert.deepEqual(stored.map((r) => r.id).sort(), ["evt_b_1", "evt_b_old", noId.id].sort());
    const [payload] = await db.sql`select payload from events where id = ${noId.id}`;
    assert.equal(payload?.payload, "[1,2]");
  });

  test("a tenant key's items go to its tenant; naming another tenant is that item's 403", async () => {
    const key = (
      await herald.api("POST", "/v1/api-keys", { name: "t", scope: "tenant", tenant: "m2" })
    ).body.key;
    const res = await batch(
      [
        { id: "evt_t_1", type: "t", payload: {} },
        { id: "evt_t_2", type: "t", tenant: "m3", payload: {} },
      ],
      { authorization: `Bearer ${key}` },
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.data[0].status, "accepted");
    assert.equal(res.body.data[0].tenant, "m2");
    assert.equal(res.body.data[1].status, "invalid");
    assert.equal(res.body.data[1].error.code, "forbidden");
    const rows = await db.sql`select tenant from events where id in ('evt_t_1', 'evt_t_2')`;
    assert.deepEqual(
      rows.map((r) => r.tenant),
      ["m2"],
    );
  });

  test("over the limit is 413; a body that is not a batch is 400; neither stores anything", async () => {
    const before = await snapshot(db.sql, TABLES);
    const many = Array.from({ length: 51 }, (_, i) => ({
      id: `evt_many_${i}`,
      type: "t",
      payload: {},
    }));
    const over = await batch(many);
    assert.equal(over.status, 413);
    assert.equal(over.body.error.code, "batch_too_large");
    for (const body of [{}, { events: [] }, { events: {} }, { events: [{}], more: 1 }, [], "x"]) {
      const res = await herald.api("POST", "/v1/events/batch", body);
      assert.equal(res.status, 400, JSON.stringify(body));
    }
    const deep = {
      events: [{ type: "t", payload: JSON.parse(`${"[".repeat(70)}${"]".repeat(70)}`) }],
    };
    const tooDeep = await herald.api("POST", "/v1/events/batch", deep);
    assert.equal(tooDeep.status, 400);
    assert.equal(tooDeep.body.error.code, "payload_too_deep");
    assert.deepEqual(await snapshot(db.sql, TABLES), before);
  });

  test("a payload over HERALD_MAX_PAYLOAD_BYTES is that item's 413 code; the others are stored", async () => {
    const big = "x".repeat(herald.ctx.config.maxPayloadBytes + 1);
    const res = await batch([
      { id: "evt_big", type: "t", payload: big },
      { id: "evt_small", type: "t", payload: "ok" },
    ]);
    assert.equal(res.status, 200);
    assert.equal(res.body.data[0].error.code, "payload_too_large");
    assert.equal(res.body.data[1].status, "accepted");
  });

  test("a read-only key cannot send a batch", async () => {
    const key = (await herald.api("POST", "/v1/api-keys", { name: "r", scope: "admin:read" })).body
      .key;
    const before = await snapshot(db.sql, TABLES);
    const res = await batch([{ type: "t", payload: {} }], { authorization: `Bearer ${key}` });
    assert.equal(res.status, 403);
    assert.deepEqual(await snapshot(db.sql, TABLES), before);
  });
});
