// Stripe sources: signatures made by the `stripe` package's own generateTestHeaderString, the
// event id and type taken from the payload, the raw bytes relayed unchanged.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import Stripe from "stripe";
import { heraldForSuite } from "../helpers.ts";
import { startReceiver } from "../support/receiver.ts";
import {
  eventsOf,
  postInbound,
  rejectedCount,
  requestsTo,
  setupSource,
} from "../support/sources.ts";

const stripe = new Stripe("sk_test_not_used");
const SECRET = "whsec_test_stripe_0123456789abcdef";
const CT = "application/json; charset=utf-8";

function signed(payload: string, secret = SECRET, timestamp?: number) {
  return {
    "content-type": CT,
    "stripe-signature": stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }),
  };
}

describe("stripe source", () => {
  const { herald, receiver } = heraldForSuite({ retryBaseMs: 20, pollIntervalMs: 50 }, () =>
    startReceiver(),
  );
  const setup = () =>
    setupSource(herald, receiver, { provider: "stripe", secret: SECRET }, ["charge.succeeded"]);

  test("a signed event is stored once and relayed byte-for-byte with its content type", async () => {
    const s = await setup();
    // Odd spacing and key order: re-serializing would change these bytes.
    const body =
      '{"id": "evt_1Abc",  "object":"event","type":"charge.succeeded","data":{"x":1.50}}';
    const res = await postInbound(herald, s.sourceId, body, signed(body));
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.body.type, "charge.succeeded");
    const [got] = await requestsTo(receiver, s.path, 1);
    assert.equal(got?.body.toString("utf8"), body);
    assert.equal(got?.headers["content-type"], CT);
    assert.ok(got?.headers["webhook-signature"], "relayed with Herald's own signature");
    assert.equal(receiver.requests(s.otherPath).length, 0, "event_types filters apply");
    const events = await eventsOf(herald, s.tenant);
    assert.equal(events.length, 1);
    assert.equal(events[0].source, s.sourceId);
    assert.equal(events[0].type, "charge.succeeded");
    assert.equal(events[0].id, `${s.sourceId}:evt_1Abc`);
  });

  test("a wrong secret is 401, stores nothing and is counted", async () => {
    const s = await setup();
    const body = '{"id":"evt_2","type":"charge.succeeded"}';
    const res = await postInbound(herald, s.sourceId, body, signed(body, "whsec_wrong_secret"));
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "invalid_signature");
    assert.equal(await rejectedCount(herald, s.sourceId), 1);
    assert.equal((await eventsOf(herald, s.tenant)).length, 0);
  });

  test("a tampered body or a missing header is 401", async () => {
    const s = await setup();
    const body = '{"id":"evt_3","type":"charge.succeeded","amount":100}';
    const tampered = body.replace("100", "999");
    assert.equal((await postInbound(herald, s.sourceId, tampered, signed(body))).status, 401);
    assert.equal((await postInbound(herald, s.sourceId, body, { "content-type": CT })).status, 401);
    assert.equal(await rejectedCount(herald, s.sourceId), 2);
    assert.equal((await eventsOf(herald, s.tenant)).length, 0);
  });

  test("a timestamp older than 300 s is 401", async () => {
    const s = await setup();
    const body = '{"id":"evt_4","type":"charge.succeeded"}';
    const old = Math.floor(Date.now() / 1000) - 301;
    const res = await postInbound(herald, s.sourceId, body, signed(body, SECRET, old));
    assert.equal(res.status, 401);
    const recent = Math.floor(Date.now() / 1000) - 200;
    assert.equal(
      (await postInbound(herald, s.sourceId, body, signed(body, SECRET, recent))).status,
      202,
    );
  });

  test("one of several v1 signatures matching is enough (secret rotation)", async () => {
    const s = await setup();
    const body = '{"id":"evt_5","type":"charge.succeeded"}';
    const good = signed(body)["stripe-signature"];
    const t = good.split(",")[0];
    const v1 = good.split(",")[1];
    const header = `${t},v1=${"0".repeat(64)},${v1}`;
    const res = await postInbound(herald, s.sourceId, body, {
      "content-type": CT,
      "stripe-signature": header,
    });
    assert.equal(res.status, 202);
  });

  test("a redelivery is 200 and stored once; the same id with another body is 409 and audited", async () => {
    const s = await setup();
    const body = '{"id":"evt_6","type":"charge.succeeded","n":1}';
    assert.equal((await postInbound(herald, s.sourceId, body, signed(body))).status, 202);
    const again = await postInbound(herald, s.sourceId, body, signed(body));
    assert.equal(again.status, 200);
    assert.equal(again.body.deduplicated, true);
    const other = '{"id":"evt_6","type":"charge.succeeded","n":2}';
    const conflict = await postInbound(herald, s.sourceId, other, signed(other));
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.error.code, "event_conflict");
    assert.equal((await eventsOf(herald, s.tenant)).length, 1);
    const eventId = `${s.sourceId}:evt_6`;
    const audit = await herald.api("GET", `/v1/audit?subject=${encodeURIComponent(eventId)}`);
    const entry = audit.body.data.find((e: any) => e.action === "source.conflict");
    assert.ok(entry, JSON.stringify(audit.body));
    assert.equal(entry.details.event_id, eventId);
    assert.notEqual(entry.details.stored_sha256, entry.details.received_sha256);
    const event = await herald.api("GET", `/v1/events/${encodeURIComponent(eventId)}`);
    assert.equal(event.body.conflicts, 1, "the conflict shows on the event's record");
    const source = await herald.api("GET", `/v1/sources/${s.sourceId}`);
    assert.equal(source.body.conflicts, 1, "and on the source's");
    await requestsTo(receiver, s.path, 1);
  });

  test("a stripe source made without a secret refuses everything until it is set", async () => {
    const s = await setupSource(herald, receiver, { provider: "stripe" }, ["charge.succeeded"]);
    assert.equal(s.secret, null);
    const body = '{"id":"evt_7","type":"charge.succeeded"}';
    assert.equal((await postInbound(herald, s.sourceId, body, signed(body))).status, 401);
    const patched = await herald.api("PATCH", `/v1/sources/${s.sourceId}`, { secret: SECRET });
    assert.equal(patched.status, 200);
    assert.equal((await postInbound(herald, s.sourceId, body, signed(body))).status, 202);
  });
});
