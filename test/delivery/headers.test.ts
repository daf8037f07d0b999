// What an endpoint's settings add to each attempt: `X-Signature` (hex HMAC-SHA256 of the raw
// body, keyed with the base64-decoded bytes after `whsec_`) for the hmac-sha256-hex scheme;
// the seed's way for seed-000 (keyed with the secret's text, `event_id` in the body); and the
// endpoint's static headers, which never replace Herald's own.
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { attemptRequest } from "../../src/delivery/request.ts";
import { heraldForSuite, waitFor } from "../helpers.ts";
import { claimedRow, testBox } from "../support/claimed.ts";
import { headersOf, receiverEndpoints } from "../support/deliver.ts";
import { type ReceivedRequest, startReceiver } from "../support/receiver.ts";

/** The receiver's side of the hex scheme, written from the documentation. */
function expectedHex(secret: string, body: Buffer): string {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  return createHmac("sha256", key).update(body).digest("hex");
}

describe("signature scheme and static headers on the wire", () => {
  const { db, herald, receiver } = heraldForSuite({ retryBaseMs: 20, pollIntervalMs: 50 }, () =>
    startReceiver(),
  );

  const { create: endpoint, deliver } = receiverEndpoints(herald, receiver);

  test("hmac-sha256-hex: X-Signature is the hex HMAC-SHA256 of the body with the secret's key bytes", async () => {
    const secret = `whsec_${randomBytes(32).toString("base64")}`;
    const ep = await endpoint("/hex", { signature_scheme: "hmac-sha256-hex", secret });
    const payload = { amount: 4200, note: "Zoë ✓" };
    const req = await deliver(ep.id, "/hex", payload);
    const sig = req.headers["x-signature"];
    assert.match(String(sig), /^[0-9a-f]{64}$/);
    assert.equal(sig, expectedHex(secret, req.body));
    // The key is the decoded bytes, not the secret's text.
    assert.notEqual(sig, createHmac("sha256", secret).update(req.body).digest("hex"));
    // Standard Webhooks still signs too.
    assert.deepEqual(new Webhook(secret).verify(req.body, headersOf(req)), payload);
  });

  test("standard-webhooks (the default) sends no X-Signature", async () => {
    const ep = await endpoint("/std");
    const req = await deliver(ep.id, "/std", { a: 1 });
    assert.equal(req.headers["x-signature"], undefined);
  });

  test("switching the scheme with PATCH applies to the next delivery", async () => {
    const ep = await endpoint("/switch");
    await herald.api("PATCH", `/v1/endpoints/${ep.id}`, { signature_scheme: "hmac-sha256-hex" });
    const req = await deliver(ep.id, "/switch", { s: 1 });
    assert.equal(req.headers["x-signature"], expectedHex(ep.secret, req.body));
  });

  test("during a rotation X-Signature uses the new secret", async () => {
    const ep = await endpoint("/hex-rotated", { signature_scheme: "hmac-sha256-hex" });
    const rotated = await herald.api("POST", `/v1/endpoints/${ep.id}/rotate-secret`);
    const req = await deliver(ep.id, "/hex-rotated", { r: 1 });
    assert.equal(req.headers["x-signature"], expectedHex(rotated.body.secret, req.body));
  });

  /** The seed receiver's check, written from the documentation: HMAC of the raw body. */
  const seedVerifies = (secret: string, req: ReceivedRequest) =>
    req.headers["x-signature"] === createHmac("sha256", secret).update(req.body).digest("hex");

  test("seed-000: X-Signature keyed with the shared secret's text, event_id added to the body", async () => {
    const shared = "seed-shared-secret-1";
    const ep = await endpoint("/seed", { signature_scheme: "seed-000", secret: shared });
    assert.equal(ep.secret, shared);
    const seen = receiver.requests("/seed").length;
    const sent = await herald.api("POST", "/v1/events", {
      type: "t",
      payload: { amount: 4200, event_id: "the payload's own", note: "Zoë ✓" },
      endpoint_ids: [ep.id],
    });
    await waitFor(() => receiver.requests("/seed").length > seen, 5_000, "the delivery");
    const req = receiver.requests("/seed")[seen] as ReceivedRequest;
    assert.ok(seedVerifies(shared, req));
    assert.deepEqual(JSON.parse(req.body.toString()), {
      amount: 4200,
      note: "Zoë ✓",
      event_id: sent.body.id,
    });
    assert.equal(req.headers["webhook-id"], sent.body.id);
    assert.equal(req.headers["webhook-signature"], undefined, "no whsec_ key to sign with");
    // What is stored is what was sent to Herald.
    const [stored] = await db.sql`select payload from events where id = ${sent.body.id}`;
    assert.equal(stored?.payload, '{"amount":4200,"event_id":"the payload\'s own","note":"Zoë ✓"}');
    // A payload that is not an object has no place for the id: it goes as it is, signed.
    const arr = await deliver(ep.id, "/seed", [1, 2]);
    assert.equal(arr.body.toString(), "[1,2]");
    assert.ok(seedVerifies(shared, arr));
  });

  test("seed-000: rotation takes a shared secret; leaving the scheme needs a whsec_ secret", async () => {
    const ep = await endpoint("/seed-rotated", {
      signature_scheme: "seed-000",
      secret: "first-shared",
    });
    const rotated = await herald.api("POST", `/v1/endpoints/${ep.id}/rotate-secret`, {
      secret: "second-shared",
    });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    const req = await deliver(ep.id, "/seed-rotated", { r: 1 });
    assert.ok(seedVerifies("second-shared", req));
    const away = await herald.api("PATCH", `/v1/endpoints/${ep.id}`, {
      signature_scheme: "standard-webhooks",
    });
    assert.equal(away.status, 400);
    assert.match(away.body.error.message, /whsec_/);
    assert.equal(
      (await herald.api("GET", `/v1/endpoints/${ep.id}`)).body.signature_scheme,
      "seed-000",
    );
    const whsec = await herald.api("POST", `/v1/endpoints/${ep.id}/rotate-secret`);
    assert.equal(whsec.status, 200);
    const back = await herald.api("PATCH", `/v1/endpoints/${ep.id}`, {
      signature_scheme: "standard-webhooks",
    });
    assert.equal(back.status, 200, JSON.stringify(back.body));
    // Other schemes take no shared secret; seed-000 no short or unprintable one.
    for (const [scheme, secret] of [
      ["standard-webhooks", "shared-but-not-whsec"],
      ["hmac-sha256-hex", "shared-but-not-whsec"],
      ["seed-000", "short"],
      ["seed-000", "has a space in it"],
    ]) {
      const res = await herald.api("POST", "/v1/endpoints", {
        url: `${receiver.url}/refused`,
        signature_scheme: scheme,
        secret,
      });
      assert.equal(res.status, 400, `${scheme} ${secret}`);
    }
    const plain = await endpoint("/plain");
    const wrong = await herald.api("POST", `/v1/endpoints/${plain.id}/rotate-secret`, {
      secret: "shared-but-not-whsec",
    });
    assert.equal(wrong.status, 400);
  });

  test("static headers are on every attempt, retries included", async () => {
    receiver.on("/static", (n, res) => res.writeHead(n === 1 ? 500 : 200).end());
    const ep = await endpoint("/static", {
      headers: { "X-Tenant": "acme", Authorization: "Bearer t0k3n", "X-Empty": "" },
    });
    await deliver(ep.id, "/static", { s: 1 });
    await waitFor(() => receiver.requests("/static").length === 2, 5_000, "the retry");
    const reqs = receiver.requests("/static");
    assert.equal(reqs.length, 2);
    for (const req of reqs) {
      assert.equal(req.headers["x-tenant"], "acme");
      assert.equal(req.headers.authorization, "Bearer t0k3n");
      assert.equal(req.headers["x-empty"], "");
      assert.equal(req.headers["content-type"], "application/json");
    }
  });

  test("static headers changed by PATCH apply to the next delivery; null removes them", async () => {
    const ep = await endpoint("/changed", { headers: { "X-Old": "1" } });
    await herald.api("PATCH", `/v1/endpoints/${ep.id}`, { headers: { "X-New": "2" } });
    let req = await deliver(ep.id, "/changed", { c: 1 });
    assert.equal(req.headers["x-new"], "2");
    assert.equal(req.headers["x-old"], undefined);
    await herald.api("PATCH", `/v1/endpoints/${ep.id}`, { headers: null });
    req = await deliver(ep.id, "/changed", { c: 2 });
    assert.equal(req.headers["x-new"], undefined);
  });

  test("static headers written around the API still cannot replace Herald's own", async () => {
    const ep = await endpoint("/forged", { signature_scheme: "hmac-sha256-hex" });
    await db.sql`update endpoints set headers = ${db.sql.json({
      "Content-Type": "text/plain",
      "Webhook-Id": "forged",
      "webhook-signature": "v1,forged",
      "X-Signature": "forged",
      "User-Agent": "forged",
      "X-Kept": "yes",
    })} where id = ${ep.id}`;
    const payload = { f: 1 };
    const req = await deliver(ep.id, "/forged", payload);
    assert.equal(req.headers["content-type"], "application/json");
    assert.match(String(req.headers["webhook-id"]), /^evt_/);
    assert.equal(req.headers["x-signature"], expectedHex(ep.secret, req.body));
    assert.match(String(req.headers["user-agent"]), /^Herald-Webhooks\//);
    assert.equal(req.headers["x-kept"], "yes");
    assert.deepEqual(new Webhook(ep.secret).verify(req.body, headersOf(req)), payload);
  });

  test("attemptRequest: static headers first, then Herald's; no reserved name survives in any case", () => {
    const row = claimedRow({
      payload: '{"a":1}',
      headers: { HOST: "evil", "Transfer-Encoding": "chunked", "X-A": "1" },
    });
    const h = attemptRequest(row, 1_700_000_000, testBox).headers;
    assert.deepEqual(Object.keys(h), [
      "X-A",
      "content-type",
      "user-agent",
      "webhook-id",
      "webhook-timestamp",
      "webhook-signature",
    ]);
  });
});
