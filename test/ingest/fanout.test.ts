import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { startMockReceiver } from "../../src/mock-receiver/server.ts";
import { API_KEY, heraldForSuite } from "../helpers.ts";

describe("fan-out", () => {
  const { db, herald, receiver } = heraldForSuite({ role: "api" }, () =>
    startMockReceiver({ port: 0 }),
  );

  async function endpoint(body: Record<string, unknown>): Promise<string> {
    const res = await herald.api("POST", "/v1/endpoints", { url: `${receiver.url}/h`, ...body });
    assert.equal(res.status, 201);
    return res.body.id;
  }

  async function targets(event: Record<string, unknown>): Promise<string[]> {
    const res = await herald.api("POST", "/v1/events", { payload: { n: 1 }, ...event });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const got = await herald.api(
      "GET",
      `/v1/events/${res.body.id}${event.tenant ? `?tenant=${event.tenant}` : ""}`,
    );
    assert.equal(got.body.deliveries.length, res.body.deliveries);
    return got.body.deliveries.map((d: { endpoint_id: string }) => d.endpoint_id).sort();
  }

  test("a subscription ending in .* takes every type under that prefix, and nothing else", async () => {
    const t = "wild";
    const payments = await endpoint({ tenant: t, event_types: ["payment.*"] });
    const mixed = await endpoint({ tenant: t, event_types: ["order.created", "payment.refund.*"] });
    const exact = await endpoint({ tenant: t, event_types: ["payment.succeeded"] });
    const cases: [string, string[]][] = [
      ["payment.succeeded", [payments, exact].sort()],
      ["payment.refund.created", [payments, mixed].sort()],
      ["order.created", [mixed]],
      ["payment", []],
      ["payments.x", []],
      ["payment.refund", [payments]],
    ];
    for (const [type, expected] of cases) {
      assert.deepEqual(await targets({ type, tenant: t }), expected, type);
    }
    // Changing the list changes what matches at once.
    const patched = await herald.api("PATCH", `/v1/endpoints/${exact}`, {
      event_types: ["order.*"],
    });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.event_types, ["order.*"]);
    assert.deepEqual(await targets({ type: "order.created", tenant: t }), [mixed, exact].sort());
    assert.deepEqual(await targets({ type: "payment.succeeded", tenant: t }), [payments]);
  });

  test("a * anywhere but a trailing .* is refused, and nothing is stored", async () => {
    const [before] = await db.sql`select count(*)::int as n from endpoints`;
    for (const types of [
      ["*"],
      ["pay*ment"],
      [".*"],
      ["payment.**"],
      ["payment*"],
      ["*.created"],
    ]) {
      const res = await herald.api("POST", "/v1/endpoints", {
        url: `${receiver.url}/h`,
        event_types: types,
      });
      assert.equal(res.status, 400, JSON.stringify(types));
      assert.equal(res.body.error.code, "invalid_request");
    }
    const [after] = await db.sql`select count(*)::int as n from endpoints`;
    assert.equal(after?.n, before?.n);
  });

  test("an event reaches the endpoints of its tenant whose event_types match, disabled ones too", async () => {
    const all = await endpoint({ tenant: "m42" });
    const paid = await endpoint({ tenant: "m42", event_types: ["payment.succeeded"] });
    await endpoint({ tenant: "m42", event_types: ["refund.created"] });
    await endpoint({ tenant: "m7" });
    await endpoint({ event_types: ["payment.succeeded"] });
    const off = await endpoint({ tenant: "m42" });
    assert.equal(
      (await herald.api("PATCH", `/v1/endpoints/${off}`, { enabled: false })).status,
      200,
    );

    // The disabled endpoint's delivery waits, pending, until it is enabled again.
    assert.deepEqual(
      await targets({ type: "payment.succeeded", tenant: "m42" }),
      [all, paid, off].sort(),
    );
  });

  test("an endpoint without tenant receives only events without tenant", async () => {
    const none = await endpoint({ event_types: ["only.untenanted"] });
    await endpoint({ tenant: "t1", event_types: ["only.untenanted"] });
    assert.deepEqual(await targets({ type: "only.untenanted" }), [none]);
  });

  test("endpoint_ids target endpoints directly, whatever their event_types", async () => {
    const a = await endpoint({ tenant: "direct", event_types: ["x"] });
    await endpoint({ tenant: "direct" });
    assert.deepEqual(await targets({ type: "y", tenant: "direct", endpoint_ids: [a] }), [a]);
  });

  test("endpoint_ids of unknown endpoints or of another tenant are refused, nothing stored", async () => {
    const other = await endpoint({ tenant: "other" });
    const before = await db.sql`select count(*)::int as n from events`;
    const unknown = await herald.api("POST", "/v1/events", {
      type: "t",
      payload: {},
      endpoint_ids: ["ep_nope"],
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error.code, "invalid_request");
    const foreign = await herald.api("POST", "/v1/events", {
      type: "t",
      tenant: "mine",
      payload: {},
      endpoint_ids: [other],
    });
    assert.equal(foreign.status, 400);
    const afterRows = await db.sql`select count(*)::int as n from events`;
    assert.equal(afterRows[0]?.n, before[0]?.n);
  });

  test("a deleted endpoint receives nothing new and its pending deliveries are cancelled", async () => {
    const gone = await endpoint({ tenant: "del" });
    const ev = await herald.api("POST", "/v1/events", { type: "t", tenant: "del", payload: {} });
    assert.equal(ev.body.deliveries, 1);
    assert.equal((await herald.api("DELETE", `/v1/endpoints/${gone}`)).status, 204);
    const got = await herald.api("GET", `/v1/events/${ev.body.id}?tenant=del`);
    assert.equal(got.body.deliveries[0].status, "cancelled");
    const next = await herald.api("POST", "/v1/events", { type: "t", tenant: "del", payload: {} });
    assert.equal(next.body.deliveries, 0);
    assert.equal((await herald.api("GET", `/v1/endpoints/${gone}`)).status, 404);
  });

  test("the seed client's POST /events delivers payload to target_url, one endpoint per URL", async () => {
    const first = await fetch(`${herald.url}/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ target_url: `${receiver.url}/seed`, payload: { hello: "world" } }),
    });
    assert.equal(first.status, 202);
    const body = await first.json();
    assert.equal(body.status, "pending");
    assert.match(body.id, /^evt_/);
    await fetch(`${herald.url}/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ target_url: `${receiver.url}/seed`, payload: { again: true } }),
    });
    const eps =
      await db.sql`select count(*)::int as n from endpoints where url = ${`${receiver.url}/seed`}`;
    assert.equal(eps[0]?.n, 1);
    // Such endpoints receive only these direct sends, not fan-out of untenanted events.
    const fan = await herald.api("POST", "/v1/events", { type: "webhook", payload: {} });
    const got = await herald.api("GET", `/v1/events/${fan.body.id}`);
    const seedEp = await db.sql`select id from endpoints where url = ${`${receiver.url}/seed`}`;
    assert.ok(
      !got.body.deliveries.some((d: { endpoint_id: string }) => d.endpoint_id === seedEp[0]?.id),
    );
  });

  test("a seed endpoint deleted after use is made again: the next POST /events is not lost", async () => {
    const url = `${receiver.url}/seed-again`;
    const post = async (payload: unknown) => {
      const res = await herald.inject("POST", "/events", { target_url: url, payload });
      assert.equal(res.status, 202, JSON.stringify(res.body));
      return res.body.id as string;
    };
    await post({ n: 1 });
    const [first] = await db.sql<{ id: string }[]>`select id from endpoints where url = ${url}`;
    assert.equal((await herald.api("DELETE", `/v1/endpoints/${first?.id}`)).status, 204);
    const id = await post({ n: 2 });
    const live = await db.sql<{ id: string }[]>`
      select id from endpoints where url = ${url} and deleted_at is null`;
    assert.equal(live.length, 1, "one live endpoint for the URL again");
    assert.notEqual(live[0]?.id, first?.id);
    const ev = await herald.api("GET", `/v1/events/${id}`);
    assert.deepEqual(
      ev.body.deliveries.map((d: { endpoint_id: string }) => d.endpoint_id),
      [live[0]?.id],
      "the event has its delivery to the new endpoint",
    );
  });
});
