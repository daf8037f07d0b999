// GitHub sources: X-Hub-Signature-256 made by @octokit/webhooks-methods' sign (GitHub's own
// library) and checked against GitHub's published test vector; X-GitHub-Delivery is the
// idempotency key and X-GitHub-Event the event type.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";
import { sign } from "@octokit/webhooks-methods";
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

const SECRET = "It's a Secret to Everybody";

async function headers(body: string, delivery: string, secret = SECRET, event = "push") {
  return {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": delivery,
    "x-hub-signature-256": await sign(secret, body),
  };
}

describe("github source", () => {
  const { herald, receiver } = heraldForSuite({ retryBaseMs: 20, pollIntervalMs: 50 }, () =>
    startReceiver(),
  );
  const setup = () =>
    setupSource(herald, receiver, { provider: "github", secret: SECRET }, ["push"]);

  test("GitHub's published test vector verifies, and a changed byte does not", () => {
    const h = {
      "x-hub-signature-256":
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    };
    const ok = verifySignature("github", SECRET, {}, h, Buffer.from("Hello, World!"), Date.now());
    assert.equal(ok, true);
    const bad = verifySignature("github", SECRET, {}, h, Buffer.from("Hello, World?"), Date.now());
    assert.equal(bad, false);
  });

  test("the published vector is accepted over HTTP with a text body", async () => {
    const s = await setupSource(herald, receiver, { provider: "github", secret: SECRET }, ["ping"]);
    const res = await postInbound(herald, s.sourceId, "Hello, World!", {
      "content-type": "text/plain",
      "x-github-event": "ping",
      "x-github-delivery": randomUUID(),
      "x-hub-signature-256":
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const [got] = await requestsTo(receiver, s.path, 1);
    assert.equal(got?.body.toString(), "Hello, World!");
    assert.equal(got?.headers["content-type"], "text/plain");
    const [event] = await eventsOf(herald, s.tenant);
    assert.equal(event.payload, "Hello, World!");
    assert.equal(event.content_type, "text/plain");
  });

  test("a signed push is relayed byte-for-byte to endpoints subscribed to push", async () => {
    const s = await setup();
    const body = '{ "ref":"refs/heads/main",\n  "zen": "Keep it logically awesome." }';
    const res = await postInbound(herald, s.sourceId, body, await headers(body, randomUUID()));
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.body.type, "push");
    const [got] = await requestsTo(receiver, s.path, 1);
    assert.equal(got?.body.toString("utf8"), body);
    assert.equal(got?.headers["content-type"], "application/json");
    assert.equal(receiver.requests(s.otherPath).length, 0);
    const [event] = await eventsOf(herald, s.tenant);
    assert.equal(event.source, s.sourceId);
  });

  test("a wrong secret, a tampered body or no signature is 401 and counted", async () => {
    const s = await setup();
    const body = '{"zen":"a"}';
    const wrong = await headers(body, randomUUID(), "another secret");
    assert.equal((await postInbound(herald, s.sourceId, body, wrong)).status, 401);
    const h = await headers(body, randomUUID());
    assert.equal((await postInbound(herald, s.sourceId, '{"zen":"b"}', h)).status, 401);
    const { "x-hub-signature-256": _, ...unsigned } = h;
    const res = await postInbound(herald, s.sourceId, body, unsigned);
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, "invalid_signature");
    assert.equal(await rejectedCount(herald, s.sourceId), 3);
    assert.equal((await eventsOf(herald, s.tenant)).length, 0);
  });

  test("a redelivery (same X-GitHub-Delivery) is 200 and stored once; another body is 409", async () => {
    const s = await setup();
    const delivery = randomUUID();
    const body = '{"n":1}';
    assert.equal(
      (await postInbound(herald, s.sourceId, body, await headers(body, delivery))).status,
      202,
    );
    const again = await postInbound(herald, s.sourceId, body, await headers(body, delivery));
    assert.equal(again.status, 200);
    const other = '{"n":2}';
    const conflict = await postInbound(herald, s.sourceId, other, await headers(other, delivery));
    assert.equal(conflict.status, 409);
    assert.equal((await eventsOf(herald, s.tenant)).length, 1);
    const audit = await herald.api(
      "GET",
      `/v1/audit?subject=${encodeURIComponent(`${s.sourceId}:${delivery}`)}`,
    );
    assert.equal(audit.body.data[0]?.action, "source.conflict");
    await requestsTo(receiver, s.path, 1);
    assert.equal(receiver.requests(s.path).length, 1);
  });
});
