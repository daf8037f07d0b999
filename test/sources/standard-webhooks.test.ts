// Standard Webhooks sources: headers made by the `standardwebhooks` reference package; the
// spec's published vector; webhook-id as the idempotency key, the payload's `type` as the type.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { verifySignature } from "../../src/sources/verify.ts";
import { heraldForSuite } from "../helpers.ts";
import { startReceiver } from "../support/receiver.ts";
import {
  eventsOf,
  postInbound,
  rejectedCount,
  requestsTo,
  setupSource,
} from "../support/sources.ts";

function headers(secret: string, id: string, body: string, at = new Date()) {
  return {
    "content-type": "application/json",
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, body),
  };
}

describe("standard-webhooks source", () => {
  const { herald, receiver } = heraldForSuite({ retryBaseMs: 20, pollIntervalMs: 50 }, () =>
    startReceiver(),
  );
  const setup = () =>
    setupSource(herald, receiver, { provider: "standard-webhooks" }, ["invoice.paid"]);

  test("the spec's test vector verifies within the tolerance and not after it", () => {
    const h = {
      "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
      "webhook-timestamp": "1614265330",
      "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    };
    const body = Buffer.from('{"test": 2432232314}');
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const at = 1614265330_000;
    assert.equal(verifySignature("standard-webhooks", secret, {}, h, body, at + 299_000), true);
    assert.equal(verifySignature("standard-webhooks", secret, {}, h, body, at + 301_000), false);
    assert.equal(verifySignature("standard-webhooks", secret, {}, h, body, at - 301_000), false);
  });

  test("a generated whsec_ secret is returned once; signed events are relayed byte-for-byte", async () => {
    const s = await setup();
    assert.match(s.secret ?? "", /^whsec_/);
    const got = await herald.api("GET", `/v1/sources/${s.sourceId}`);
    assert.equal(got.body.secret, undefined, "the secret is never returned again");
    const body = '{"type":"invoice.paid",  "data":{"amount": 1e3}}';
    const res = await postInbound(
      herald,
      s.sourceId,
      body,
      headers(s.secret as string, "msg_1", body),
    );
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.body.type, "invoice.paid");
    const [req] = await requestsTo(receiver, s.path, 1);
    assert.equal(req?.body.toString("utf8"), body);
    assert.equal(receiver.requests(s.otherPath).length, 0);
    // Relayed with Herald's signature for the endpoint, which the reference verifier accepts.
    assert.ok(String(req?.headers["webhook-id"]).startsWith(`${s.sourceId}:`));
  });

  test("a wrong secret, a tampered body or an expired timestamp is 401", async () => {
    const s = await setup();
    const body = '{"type":"invoice.paid"}';
    const other = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
    assert.equal(
      (await postInbound(herald, s.sourceId, body, headers(other, "m1", body))).status,
      401,
    );
    const h = headers(s.secret as string, "m2", body);
    assert.equal((await postInbound(herald, s.sourceId, '{"type":"x"}', h)).status, 401);
    const old = new Date(Date.now() - 330_000);
    const expired = headers(s.secret as string, "m3", body, old);
    assert.equal((await postInbound(herald, s.sourceId, body, expired)).status, 401);
    const future = headers(s.secret as string, "m4", body, new Date(Date.now() + 330_000));
    assert.equal((await postInbound(herald, s.sourceId, body, future)).status, 401);
    assert.equal(await rejectedCount(herald, s.sourceId), 4);
    assert.equal((await eventsOf(herald, s.tenant)).length, 0);
  });

  test("Svix's svix-id, svix-timestamp and svix-signature headers are taken as well", async () => {
    const s = await setup();
    const secret = s.secret as string;
    const body = '{"type":"invoice.paid","svix":true}';
    const svix = (id: string, sign = secret) =>
      Object.fromEntries(
        Object.entries(headers(sign, id, body)).map(([k, v]) => [
          k.replace(/^webhook-/, "svix-"),
          v,
        ]),
      );
    const res = await postInbound(herald, s.sourceId, body, svix("msg_svix"));
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.body.id, `${s.sourceId}:msg_svix`);
    assert.equal((await postInbound(herald, s.sourceId, body, svix("msg_svix"))).status, 200);
    const wrong = `whsec_${Buffer.alloc(32, 9).toString("base64")}`;
    assert.equal(
      (await postInbound(herald, s.sourceId, body, svix("msg_svix2", wrong))).status,
      401,
    );
  });

  test("a redelivered webhook-id is 200 and stored once; another body is 409", async () => {
    const s = await setup();
    const secret = s.secret as string;
    const body = '{"type":"invoice.paid","n":1}';
    assert.equal(
      (await postInbound(herald, s.sourceId, body, headers(secret, "msg_r", body))).status,
      202,
    );
    assert.equal(
      (await postInbound(herald, s.sourceId, body, headers(secret, "msg_r", body))).status,
      200,
    );
    const other = '{"type":"invoice.paid","n":2}';
    assert.equal(
      (await postInbound(herald, s.sourceId, other, headers(secret, "msg_r", other))).status,
      409,
    );
    assert.equal((await eventsOf(herald, s.tenant)).length, 1);
    const audit = await herald.api(
      "GET",
      `/v1/audit?subject=${encodeURIComponent(`${s.sourceId}:msg_r`)}`,
    );
    assert.equal(audit.body.data[0]?.action, "source.conflict");
  });
});
