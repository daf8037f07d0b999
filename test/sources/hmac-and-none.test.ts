// Generic HMAC and unsigned sources: the configured header, digest, encoding and prefix; an id
// header or the body's hash as the idempotency key; the original content type relayed; the
// body limit (413) and non-UTF-8 bodies (400); replay of an inbound event.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { request } from "node:http";
import { describe, test } from "node:test";
import { heraldForSuite, waitFor } from "../helpers.ts";
import { startReceiver } from "../support/receiver.ts";
import {
  eventsOf,
  postInbound,
  rejectedCount,
  requestsTo,
  setupSource,
} from "../support/sources.ts";

const SECRET = "shared-secret-for-hmac";

describe("hmac and none sources", () => {
  const { herald, receiver } = heraldForSuite(
    { retryBaseMs: 20, pollIntervalMs: 50, maxPayloadBytes: 1024 },
    () => startReceiver(),
  );

  test("seed 004's body: id and type from the fields options name, HMAC as bruce's X-HMAC-Signature", async () => {
    const options = { header: "X-HMAC-Signature", id_field: "event_id", type_field: "event_type" };
    const s = await setupSource(herald, receiver, { provider: "hmac", secret: SECRET, options }, [
      "invoice.paid",
    ]);
    const post = (event: Record<string, unknown>) => {
      const body = JSON.stringify(event);
      const sig = createHmac("sha256", SECRET).update(body).digest("hex");
      return postInbound(herald, s.sourceId, body, {
        "content-type": "application/json",
        "x-hmac-signature": sig,
      });
    };
    const event = {
      event_id: "ev_42",
      event_type: "invoice.paid",
      occurred_at: "2026-12-03T07:00:00Z",
      payload: { amount: 4200 },
    };
    const res = await post(event);
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.body.id, `${s.sourceId}:ev_42`);
    assert.equal(res.body.type, "invoice.paid");
    assert.equal((await post(event)).status, 200, "the same event_id again is a duplicate");
    const numeric = await post({ ...event, event_id: 43 });
    assert.equal(numeric.body.id, `${s.sourceId}:43`);
    for (const bad of [
      { ...event, event_id: undefined },
      { ...event, event_id: "" },
      { ...event, event_id: 1.5 },
    ]) {
      const refused = await post(bad);
      assert.equal(refused.status, 400, JSON.stringify(bad));
    }
    const [req] = await requestsTo(receiver, s.path, 1);
    assert.deepEqual(JSON.parse(String(req?.body)), event);
  });

  test("id_field and type_field are for hmac and none only, and id_field excludes id_header", async () => {
    for (const [provider, options] of [
      ["github", { id_field: "event_id" }],
      ["stripe", { type_field: "event_type" }],
      ["hmac", { header: "X-Sig", id_field: "event_id", id_header: "X-Id" }],
      ["none", { id_field: "" }],
    ] as const) {
      const res = await herald.api("POST", "/v1/sources", {
        name: "x",
        provider,
        secret: SECRET,
        options,
      });
      assert.equal(res.status, 400, `${provider} ${JSON.stringify(options)}`);
    }
  });

  test("sha512/base64 with a prefix and an id header: verified, typed by options, relayed as sent", async () => {
    const options = {
      header: "X-Shopify-Hmac-Sha512",
      digest: "sha512",
      encoding: "base64",
      prefix: "v=",
      id_header: "X-Delivery",
      event_type: "order.created",
    };
    const s = await setupSource(herald, receiver, { provider: "hmac", secret: SECRET, options }, [
      "order.created",
    ]);
    const body = "a=1&b=%C3%A9";
    const sig = `v=${createHmac("sha512", SECRET).update(body).digest("base64")}`;
    const h = {
      "content-type": "application/x-www-form-urlencoded",
      "x-shopify-hmac-sha512": sig,
      "x-delivery": "d-1",
    };
    const res = await postInbound(herald, s.sourceId, body, h);
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.body.type, "order.created");
    const [got] = await requestsTo(receiver, s.path, 1);
    assert.equal(got?.body.toString(), body);
    assert.equal(got?.headers["content-type"], "application/x-www-form-urlencoded");
    assert.equal((await postInbound(herald, s.sourceId, body, h)).status, 200);
    const other = "a=2";
    const h2 = {
      ...h,
      "x-shopify-hmac-sha512": `v=${createHmac("sha512", SECRET).update(other).digest("base64")}`,
    };
    assert.equal((await postInbound(herald, s.sourceId, other, h2)).status, 409);
    // Without the prefix, or with a wrong secret: 401.
    const bare = { ...h, "x-shopify-hmac-sha512": sig.slice(2) };
    assert.equal((await postInbound(herald, s.sourceId, body, bare)).status, 401);
    const wrong = `v=${createHmac("sha512", "nope").update(body).digest("base64")}`;
    assert.equal(
      (await postInbound(herald, s.sourceId, body, { ...h, "x-shopify-hmac-sha512": wrong }))
        .status,
      401,
    );
    assert.equal(await rejectedCount(herald, s.sourceId), 2);
    const [event] = await eventsOf(herald, s.tenant);
    assert.equal(event.payload, body);
    assert.equal(event.id, `${s.sourceId}:d-1`);
  });

  test("without an id header the body's hash is the key: the same body twice is stored once", async () => {
    const s = await setupSource(herald, receiver, { provider: "none" }, ["webhook"]);
    const body = '{"hello":"world"}';
    const h = { "content-type": "application/json" };
    assert.equal((await postInbound(herald, s.sourceId, body, h)).status, 202);
    assert.equal((await postInbound(herald, s.sourceId, body, h)).status, 200);
    assert.equal((await postInbound(herald, s.sourceId, '{"hello":"you"}', h)).status, 202);
    assert.equal((await eventsOf(herald, s.tenant)).length, 2);
    await requestsTo(receiver, s.path, 2);
  });

  test("a body over the limit is 413 and a non-UTF-8 body is 400; nothing is stored", async () => {
    const s = await setupSource(herald, receiver, { provider: "none" }, ["webhook"]);
    const big = await postInbound(herald, s.sourceId, "x".repeat(2000), {
      "content-type": "text/plain",
    });
    assert.equal(big.status, 413);
    assert.equal(big.body.error.code, "payload_too_large");
    const bad = await postInbound(herald, s.sourceId, Buffer.from([0xff, 0xfe, 0x41]), {
      "content-type": "application/octet-stream",
    });
    assert.equal(bad.status, 400);
    assert.equal((await eventsOf(herald, s.tenant)).length, 0);
  });

  test("an unknown or deleted source is 404", async () => {
    const res = await postInbound(herald, "src_nope", "{}", { "content-type": "application/json" });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, "source_not_found");
    const s = await setupSource(herald, receiver, { provider: "none" }, ["webhook"]);
    assert.equal((await herald.api("DELETE", `/v1/sources/${s.sourceId}`)).status, 204);
    const gone = await postInbound(herald, s.sourceId, "{}", {
      "content-type": "application/json",
    });
    assert.equal(gone.status, 404);
  });

  test("an inbound event can be replayed like an API event", async () => {
    const s = await setupSource(herald, receiver, { provider: "none" }, ["webhook"]);
    const body = "plain text body";
    const res = await postInbound(herald, s.sourceId, body, { "content-type": "text/plain" });
    assert.equal(res.status, 202);
    await requestsTo(receiver, s.path, 1);
    // Replay leaves an in-flight delivery alone: wait until the first attempt is recorded.
    const eventPath = `/v1/events/${encodeURIComponent(res.body.id)}`;
    await waitFor(
      async () => (await herald.api("GET", eventPath)).body.deliveries[0]?.status === "succeeded",
      5_000,
      "the first delivery recorded",
    );
    const replay = await herald.api("POST", `${eventPath}/replay`, {});
    assert.equal(replay.status, 200, JSON.stringify(replay.body));
    const [, again] = await requestsTo(receiver, s.path, 2);
    assert.equal(again?.body.toString(), body);
    assert.equal(again?.headers["content-type"], "text/plain");
  });

  test("sources with endpoint_ids deliver only to those endpoints", async () => {
    const s = await setupSource(herald, receiver, { provider: "none" }, ["webhook"]);
    const eps = await herald.api("GET", `/v1/endpoints?tenant=${s.tenant}`);
    const other = eps.body.data.find((e: any) => e.url.endsWith("/other"));
    const patched = await herald.api("PATCH", `/v1/sources/${s.sourceId}`, {
      endpoint_ids: [other.id],
    });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(
      (await postInbound(herald, s.sourceId, "{}", { "content-type": "application/json" })).status,
      202,
    );
    await requestsTo(receiver, s.otherPath, 1);
    assert.equal(receiver.requests(s.path).length, 0);
  });

  test("a body without a content-type header is accepted and relayed as application/json", async () => {
    const s = await setupSource(herald, receiver, { provider: "none" }, ["webhook"]);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${herald.url}/in/${s.sourceId}`, { method: "POST" }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end('{"no":"content-type"}');
    });
    assert.equal(status, 202);
    const [got] = await requestsTo(receiver, s.path, 1);
    assert.equal(got?.body.toString(), '{"no":"content-type"}');
    assert.equal(got?.headers["content-type"], "application/json");
  });
});
