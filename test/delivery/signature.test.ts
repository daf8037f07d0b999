// What Herald puts on the wire: Standard Webhooks headers that the reference verifier (the
// `standardwebhooks` npm package) accepts, and a body that is the payload serialized once and
// sent byte-for-byte on every attempt. The receiver (test/support/receiver.ts) is a bare
// node:http server so the test sees the raw bytes and headers exactly as they arrived.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { sign } from "../../src/signing/standard-webhooks.ts";
import { API_KEY, heraldForSuite, waitFor } from "../helpers.ts";
import { type ReceivedRequest, startReceiver } from "../support/receiver.ts";

/** The request's headers as the verifier takes them (single-valued only). */
function headersOf(r: ReceivedRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers)) if (typeof v === "string") out[k] = v;
  return out;
}

const newSecret = (bytes: number) => `whsec_${randomBytes(bytes).toString("base64")}`;

describe("signing and the bytes on the wire", () => {
  const { db, herald, receiver } = heraldForSuite({ retryBaseMs: 20, pollIntervalMs: 50 }, () =>
    startReceiver(),
  );

  async function endpoint(path: string, secret?: string): Promise<{ id: string; secret: string }> {
    const res = await herald.api("POST", "/v1/endpoints", {
      url: `${receiver.url}${path}`,
      ...(secret !== undefined ? { secret } : {}),
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return { id: res.body.id, secret: res.body.secret };
  }

  async function post(endpointId: string, payload: unknown): Promise<string> {
    const res = await herald.api("POST", "/v1/events", {
      type: "payment.succeeded",
      payload,
      endpoint_ids: [endpointId],
    });
    assert.equal(res.status, 202, JSON.stringify(res.body));
    return res.body.id;
  }

  async function requestsTo(path: string, n: number): Promise<ReceivedRequest[]> {
    await waitFor(() => receiver.requests(path).length >= n, 5_000, `${n} request(s) to ${path}`);
    return receiver.requests(path);
  }

  test("sign() reproduces the Standard Webhooks test vector", () => {
    assert.equal(
      sign(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "msg_p5jXN8AQM9LWM0D4loKWxJek",
        1614265330,
        '{"test": 2432232314}',
      ),
      "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
    );
  });

  test("a delivered request verifies with the standardwebhooks package, and only with its secret", async () => {
    const ep = await endpoint("/generated");
    const payload = { amount: 4200, currency: "EUR" };
    await post(ep.id, payload);
    const [req] = await requestsTo("/generated", 1);
    assert.ok(req);
    const headers = headersOf(req);
    assert.deepEqual(new Webhook(ep.secret).verify(req.body, headers), payload);
    assert.deepEqual(new Webhook(ep.secret).verify(req.body.toString("utf8"), headers), payload);
    // Not vacuous: another secret or other bytes are refused.
    assert.throws(() => new Webhook(newSecret(32)).verify(req.body, headers));
    assert.throws(() =>
      new Webhook(ep.secret).verify(JSON.stringify({ ...payload, amount: 1 }), headers),
    );
  });

  test("a secret given at endpoint creation (24 and 64 bytes) signs what is sent", async () => {
    for (const bytes of [24, 64]) {
      const secret = newSecret(bytes);
      const ep = await endpoint(`/given-${bytes}`, secret);
      assert.equal(ep.secret, secret);
      const payload = { bytes };
      await post(ep.id, payload);
      const [req] = await requestsTo(`/given-${bytes}`, 1);
      assert.ok(req);
      assert.deepEqual(new Webhook(secret).verify(req.body, headersOf(req)), payload);
    }
  });

  test("headers: JSON content type, webhook-id is the event id, webhook-timestamp is now in unix seconds", async () => {
    const ep = await endpoint("/headers");
    const sentAt = Math.floor(Date.now() / 1000);
    const eventId = await post(ep.id, { h: 1 });
    const [req] = await requestsTo("/headers", 1);
    assert.ok(req);
    assert.equal(req.headers["content-type"], "application/json");
    assert.equal(req.headers["webhook-id"], eventId);
    const ts = req.headers["webhook-timestamp"];
    assert.ok(typeof ts === "string" && /^\d+$/.test(ts), `webhook-timestamp ${ts}`);
    assert.ok(Number(ts) >= sentAt, `${ts} is before the event was posted (${sentAt})`);
    assert.ok(Number(ts) <= Math.floor(req.receivedAt / 1000), `${ts} is in the future`);
    assert.match(String(req.headers["webhook-signature"]), /^v1,[A-Za-z0-9+/]+={0,2}$/);
  });

  test("every attempt sends the same bytes and webhook-id, each with a valid signature", async () => {
    receiver.on("/flaky", (n, res) => res.writeHead(n <= 2 ? 500 : 200).end());
    const ep = await endpoint("/flaky");
    const payload = {
      name: "Zoë ✓ 😀",
      amount: 1.5,
      big: 2432232314,
      nested: { list: [1, "two", null, { deep: true }], empty: {} },
      escaped: 'quote " backslash \\ newline \n',
    };
    const eventId = await post(ep.id, payload);
    const reqs = await requestsTo("/flaky", 3);
    const expected = Buffer.from(JSON.stringify(payload), "utf8");
    assert.equal(reqs.length, 3);
    for (const req of reqs) {
      assert.ok(req.body.equals(expected), `body ${req.body.toString("utf8")}`);
      assert.equal(req.headers["webhook-id"], eventId);
      assert.deepEqual(new Webhook(ep.secret).verify(req.body, headersOf(req)), payload);
    }
    const [id] = (await herald.api("GET", `/v1/events/${eventId}`)).body.deliveries.map(
      (d: { id: string }) => d.id,
    );
    const settled = await waitFor(async () => {
      const d = await herald.api("GET", `/v1/deliveries/${id}`);
      return d.body.status === "succeeded" && d.body;
    });
    assert.deepEqual(
      settled.attempts.map((a: { status_code: number }) => a.status_code),
      [500, 500, 200],
    );
  });

  test("the seed client's POST /events delivers the payload to target_url, signed", async () => {
    const target = `${receiver.url}/seed`;
    const payload = { hello: "world", n: [1, 2, 3] };
    const res = await fetch(`${herald.url}/events`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ target_url: target, payload }),
    });
    assert.equal(res.status, 202);
    const { id } = (await res.json()) as { id: string };
    const [req] = await requestsTo("/seed", 1);
    assert.ok(req);
    assert.equal(req.body.toString("utf8"), JSON.stringify(payload));
    assert.equal(req.headers["webhook-id"], id);
    const [row] = await db.sql<{ secret: string }[]>`
      select secret from endpoints where url = ${target}`;
    assert.ok(row);
    const secret = herald.ctx.secrets.open(row.secret);
    assert.deepEqual(new Webhook(secret).verify(req.body, headersOf(req)), payload);
  });
});
