// The TypeScript SDK (sdk/) against a real Herald: sending (one, a batch, retried with the same
// id), managing endpoints, deliveries, keys and portal sessions, errors as HeraldApiError,
// verifyWebhook on what Herald really sent, and sending inside the caller's own transaction.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  Herald,
  HeraldApiError,
  sendInTransaction,
  sendToOutbox,
  verifyWebhook,
  WebhookVerificationError,
} from "../../sdk/src/index.ts";
import { connectOutbox, initOutbox, outboxTable } from "../../src/outbox/relay.ts";
import { API_KEY, heraldForSuite, waitFor } from "../helpers.ts";
import { startReceiver } from "../support/receiver.ts";

describe("SDK", () => {
  const { db, herald, receiver } = heraldForSuite({}, startReceiver);
  const client = () => new Herald({ url: herald.url as string, apiKey: API_KEY });

  test("send, receive, verify: the README's example", async () => {
    const h = client();
    const endpoint = await h.endpoints.create({
      url: `${receiver.url}/sdk`,
      tenant: "merchant-42",
      event_types: ["payment.*"],
    });
    assert.match(endpoint.secret, /^whsec_/);
    const sent = await h.events.send({
      type: "payment.succeeded",
      tenant: "merchant-42",
      payload: { amount: 4200 },
    });
    assert.equal(sent.deliveries, 1);
    assert.match(sent.id, /^evt_/);

    await waitFor(() => receiver.requests("/sdk").length === 1, 10_000, "the delivery");
    const [req] = receiver.requests("/sdk");
    const { body, headers } = req as { body: Buffer; headers: Record<string, string> };
    assert.deepEqual(verifyWebhook(endpoint.secret, body, headers), { amount: 4200 });
    // The same with fetch's Headers and a string body.
    assert.deepEqual(verifyWebhook(endpoint.secret, body.toString(), new Headers(headers)), {
      amount: 4200,
    });
    const refuses = (why: RegExp, ...args: Parameters<typeof verifyWebhook>) =>
      assert.throws(
        () => verifyWebhook(...args),
        (e: Error) => {
          assert.ok(e instanceof WebhookVerificationError);
          assert.match(e.message, why);
          return true;
        },
      );
    refuses(/no signature matches/, endpoint.secret, `${body} `, headers);
    refuses(
      /no signature matches/,
      `whsec_${Buffer.alloc(32, 1).toString("base64")}`,
      body,
      headers,
    );
    refuses(/too far from now/, endpoint.secret, body, headers, { now: Date.now() + 600_000 });
    refuses(/not signed/, endpoint.secret, body, {});

    // The receiver has the request before the worker records its answer.
    const event = await waitFor(
      async () => {
        const e = await h.events.get(sent.id);
        return e.deliveries[0]?.status === "in_flight" ? null : e;
      },
      10_000,
      "the outcome recorded",
    );
    assert.equal(event.deliveries[0]?.status, "succeeded");
    const page = await h.deliveries.list({ endpoint_id: endpoint.id });
    assert.equal(page.data.length, 1);
    const detail = await h.deliveries.get(page.data[0]?.id as string);
    assert.equal(detail.attempts[0]?.status_code, 200);
    const replayed = await h.events.replay(sent.id);
    assert.equal(replayed.deliveries, 1);
    await waitFor(() => receiver.requests("/sdk").length === 2, 10_000, "the replay");
  });

  test("a send whose answer was lost is tried again with the same id: one event, deduplicated", async () => {
    const bodies: string[] = [];
    let calls = 0;
    const flaky: typeof fetch = async (input, init) => {
      const request = new Request(input as Request, init);
      bodies.push(await request.clone().text());
      calls++;
      if (calls === 1)
        return new Response('{"error":{"code":"storage_unavailable","message":"x"}}', {
          status: 503,
        });
      const res = await fetch(request);
      // Herald committed it; the answer is lost on the way back.
      if (calls === 2) throw new TypeError("fetch failed");
      return res;
    };
    const h = new Herald({
      url: herald.url as string,
      apiKey: API_KEY,
      fetch: flaky,
      retryDelayMs: 10,
    });
    const result = await h.events.send({ type: "order.created", payload: { n: 1 } });
    assert.equal(calls, 3);
    assert.equal(result.deduplicated, true, "the third try found the second's event");
    const ids = bodies.map((b) => JSON.parse(b).id);
    assert.equal(new Set(ids).size, 1, "one id for all three tries");
    const [row] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from events where id = ${ids[0]}`;
    assert.equal(row?.n, 1);

    // Not retried: what Herald refused on its merits.
    let tries = 0;
    const counting: typeof fetch = (input, init) => {
      tries++;
      return fetch(input, init);
    };
    const strict = new Herald({ url: herald.url as string, apiKey: API_KEY, fetch: counting });
    await assert.rejects(strict.events.send({ type: "", payload: {} }), (e: HeraldApiError) => {
      assert.equal(e.status, 400);
      assert.equal(e.code, "invalid_request");
      return true;
    });
    assert.equal(tries, 1);
  });

  test("batches, errors, keys, portal sessions and endpoint operations", async () => {
    const h = client();
    const items = await h.events.sendBatch([
      { id: "evt_sdk_b1", type: "order.created", payload: {} },
      { type: "", payload: {} },
      { id: "evt_sdk_b1", type: "order.created", payload: {} },
    ]);
    assert.deepEqual(
      items.map((i) => i.status),
      ["accepted", "invalid", "deduplicated"],
    );

    await assert.rejects(h.endpoints.get("ep_nope"), (e: HeraldApiError) => {
      assert.ok(e instanceof HeraldApiError);
      assert.equal(e.status, 404);
      assert.equal(e.code, "endpoint_not_found");
      return true;
    });
    const unreachable = new Herald({ url: "http://127.0.0.1:1", apiKey: API_KEY, retries: 0 });
    await assert.rejects(
      unreachable.endpoints.list(),
      (e: HeraldApiError) => e.code === "unreachable",
    );

    const key = await h.keys.create({ name: "sdk", scope: "tenant:read", tenant: "merchant-7" });
    assert.match(key.key, /^hk_/);
    const reader = new Herald({ url: herald.url as string, apiKey: key.key });
    assert.deepEqual((await reader.endpoints.list()).data, []);
    await h.keys.revoke(key.id);
    assert.ok((await h.keys.get(key.id)).revoked_at);

    const portal = await h.portalSessions.create({ tenant: "merchant-7" });
    assert.match(portal.url, /\/portal\/#token=hpl_/);

    const ep = await h.endpoints.create({ url: `${receiver.url}/ops` });
    assert.equal((await h.endpoints.disable(ep.id, "maintenance")).enabled, false);
    assert.equal((await h.endpoints.enable(ep.id)).enabled, true);
    const rotated = await h.endpoints.rotateSecret(ep.id);
    assert.notEqual(rotated.secret, ep.secret);
    assert.equal((await h.endpoints.update(ep.id, { description: "ops" })).description, "ops");
    assert.equal((await h.endpoints.test(ep.id)).status, "ok");
    const seen = receiver.requests("/ops").length;
    await h.events.send({ type: "ops.check", payload: {}, endpoint_ids: [ep.id] });
    await waitFor(() => receiver.requests("/ops").length > seen, 10_000, "the delivery");
    await waitFor(async () => (await h.endpoints.stats(ep.id)).last_hour.attempts >= 1, 10_000);
    const recovered = await h.endpoints.recover(ep.id, { since: new Date(0).toISOString() });
    assert.equal(recovered.endpoint_id, ep.id);
    await h.endpoints.delete(ep.id);
    await assert.rejects(h.endpoints.get(ep.id), (e: HeraldApiError) => e.status === 404);
  });

  test("sendInTransaction commits and rolls back with the caller's transaction (postgres.js and a pg-style client)", async () => {
    const h = client();
    await h.endpoints.create({ url: `${receiver.url}/tx`, tenant: "merchant-tx" });
    await assert.rejects(
      db.sql.begin(async (tx) => {
        await sendInTransaction(tx, {
          id: "evt_sdk_tx_rolled",
          type: "payment.succeeded",
          tenant: "merchant-tx",
          payload: { n: 0 },
        });
        throw new Error("the payment failed");
      }),
    );
    const made = await db.sql.begin((tx) =>
      sendInTransaction(tx, {
        id: "evt_sdk_tx_1",
        type: "payment.succeeded",
        tenant: "merchant-tx",
        payload: { n: 1 },
      }),
    );
    assert.equal(made, 1, "one delivery made");
    // node-postgres's shape: query(text, params) → { rows }.
    const pgLike = {
      query: async (text: string, params: unknown[]) => ({
        rows: await db.sql.unsafe(text, params as never[]),
      }),
    };
    const again = await sendInTransaction(pgLike, {
      id: "evt_sdk_tx_1",
      type: "payment.succeeded",
      tenant: "merchant-tx",
      payload: { n: 1 },
    });
    assert.equal(again, 0, "the same event again is a duplicate");
    await waitFor(() => receiver.requests("/tx").length === 1, 10_000, "the committed event");
    const ids = receiver.requests("/tx").map((r) => r.headers["webhook-id"]);
    assert.deepEqual(ids, ["evt_sdk_tx_1"], "delivered once; the rolled-back one never");

    // The outbox form writes the row the relay reads.
    const outbox = connectOutbox(db.url);
    try {
      await initOutbox(outbox, outboxTable("sdk_outbox"));
      const id = await sendToOutbox(
        db.sql,
        { type: "order.created", tenant: "merchant-tx", payload: { n: 2 } },
        { table: "sdk_outbox" },
      );
      const rows = await outbox`select id, type, tenant, payload from sdk_outbox`;
      assert.deepEqual(
        rows.map((r) => ({ ...r })),
        [{ id, type: "order.created", tenant: "merchant-tx", payload: { n: 2 } }],
      );
      await assert.rejects(
        sendToOutbox(db.sql, { type: "x", payload: {} }, { table: "x; drop" }),
        TypeError,
      );
    } finally {
      await outbox.end();
    }
  });
});
