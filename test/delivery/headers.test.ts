// What an endpoint's settings add to each attempt: `X-Signature` (hex HMAC-SHA256 of the raw
// body, keyed with the base64-decoded bytes after `whsec_`) for the hmac-sha256-hex scheme,
// and the endpoint's static headers, which never replace Herald's own.
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { attemptHeaders } from "../../src/delivery/request.ts";
import { heraldForSuite, waitFor } from "../helpers.ts";
import { claimedRow, testBox } from "../support/claimed.ts";
import { headersOf, receiverEndpoints } from "../support/deliver.ts";
import { startReceiver } from "../support/receiver.ts";

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

  test("attemptHeaders: static headers first, then Herald's; no reserved name survives in any case", () => {
    const row = claimedRow({
      payload: '{"a":1}',
      headers: { HOST: "evil", "Transfer-Encoding": "chunked", "X-A": "1" },
    });
    const h = attemptHeaders(row, 1_700_000_000, testBox);
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
