// POST /v1/endpoints/:id/test: a signed herald.ping sent at once, outside the queue, answered
// with the attempt's outcome. The receiver records what arrived; the standardwebhooks package
// verifies the signature; the SSRF guard applies as it does to deliveries.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Webhook } from "standardwebhooks";
import { heraldForSuite, type TestHerald } from "../helpers.ts";
import { freePort } from "../support/processes.ts";
import { startReceiver } from "../support/receiver.ts";
import { snapshot } from "../support/snapshot.ts";

async function endpoint(herald: TestHerald, url: string) {
  const res = await herald.api("POST", "/v1/endpoints", { url });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { id: string; secret: string };
}

function headersOf(h: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]));
}

describe("test ping", () => {
  // The worker is not running: a ping must not need it.
  const { db, herald, receiver } = heraldForSuite({ role: "api", timeoutMs: 500 }, () =>
    startReceiver(),
  );

  test("a 2xx endpoint gets a signed herald.ping and the answer is ok with status and duration", async () => {
    const ep = await endpoint(herald, `${receiver.url}/ping-ok`);
    const before = await snapshot(db.sql, ["events", "deliveries", "delivery_history", "attempts"]);
    const started = Date.now();
    const res = await herald.api("POST", `/v1/endpoints/${ep.id}/test`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, "ok");
    assert.equal(res.body.status_code, 200);
    assert.equal(res.body.error, null);
    assert.ok(Number.isInteger(res.body.duration_ms) && res.body.duration_ms >= 0);
    assert.ok(res.body.duration_ms <= Date.now() - started);
    assert.match(res.body.event_id, /^evt_[0-9a-f]{28}$/);

    const [req, ...more] = receiver.requests("/ping-ok");
    assert.ok(req);
    assert.equal(more.length, 0);
    assert.equal(req.headers["webhook-id"], res.body.event_id);
    const payload = new Webhook(ep.secret).verify(req.body, headersOf(req.headers)) as any;
    assert.equal(payload.type, "herald.ping");
    assert.equal(payload.endpoint_id, ep.id);
    assert.ok(Math.abs(Date.parse(payload.timestamp) - started) < 10_000, payload.timestamp);

    // Sent outside the queue: no event, delivery or attempt was stored.
    assert.deepEqual(
      await snapshot(db.sql, ["events", "deliveries", "delivery_history", "attempts"]),
      before,
    );
    const [entry] = await db.sql`select actor, action, details from audit_log
      where subject = ${ep.id} and action = 'endpoint.tested'`;
    assert.ok(entry, "audited");
    assert.match(entry.actor, /\S/);
    assert.deepEqual(
      [entry.details.status, entry.details.status_code, entry.details.event_id],
      ["ok", 200, res.body.event_id],
    );
    assert.ok(!JSON.stringify(entry.details).includes(ep.secret));
  });

  test("each ping carries a new id", async () => {
    const ep = await endpoint(herald, `${receiver.url}/ping-twice`);
    const a = await herald.api("POST", `/v1/endpoints/${ep.id}/test`);
    const b = await herald.api("POST", `/v1/endpoints/${ep.id}/test`);
    assert.notEqual(a.body.event_id, b.body.event_id);
    assert.deepEqual(
      receiver.requests("/ping-twice").map((r) => r.headers["webhook-id"]),
      [a.body.event_id, b.body.event_id],
    );
  });

  test("failures are reported as the attempt's error kind, not as API errors", async () => {
    receiver.on("/ping-500", (_n, res) => res.writeHead(500).end("nope"));
    receiver.on("/ping-hang", () => {});
    const cases: [string, string, number | null, RegExp][] = [
      [`${receiver.url}/ping-500`, "http_error", 500, /HTTP 500/],
      [`${receiver.url}/ping-hang`, "timeout", null, /./],
      [`http://127.0.0.1:${await freePort()}/closed`, "connect_error", null, /ECONNREFUSED/],
      ["http://nonexistent.invalid/hook", "dns_error", null, /./],
    ];
    for (const [url, kind, code, message] of cases) {
      const ep = await endpoint(herald, url);
      const res = await herald.api("POST", `/v1/endpoints/${ep.id}/test`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, kind, `${url}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.status_code, code, url);
      assert.match(res.body.error, message, url);
    }
  });

  test("a disabled endpoint can be tested; an unknown or deleted one is 404", async () => {
    const off = await endpoint(herald, `${receiver.url}/ping-disabled`);
    await herald.api("PATCH", `/v1/endpoints/${off.id}`, { enabled: false });
    assert.equal((await herald.api("POST", `/v1/endpoints/${off.id}/test`)).body.status, "ok");

    const gone = await endpoint(herald, `${receiver.url}/ping-deleted`);
    assert.equal((await herald.api("DELETE", `/v1/endpoints/${gone.id}`)).status, 204);
    for (const id of ["ep_unknown", gone.id]) {
      const res = await herald.api("POST", `/v1/endpoints/${id}/test`);
      assert.equal(res.status, 404, JSON.stringify(res.body));
      assert.equal(res.body.error.code, "endpoint_not_found");
    }
    assert.equal(receiver.requests("/ping-deleted").length, 0);
  });
});

describe("test ping and the SSRF guard", () => {
  const { db, herald, receiver } = heraldForSuite(
    { role: "api", allowPrivateNetworks: false },
    () => startReceiver(),
  );

  test("a loopback endpoint (saved before it resolved there) is refused as ssrf_blocked and receives nothing", async () => {
    const urls = [`${receiver.url}/ssrf`, receiver.url.replace("127.0.0.1", "localhost")];
    for (const [i, url] of urls.entries()) {
      // Saving such a URL is refused (test/delivery/ssrf.test.ts): written as the row would be.
      const ep = { id: `ep_loopback_${i}` };
      await db.sql`insert into endpoints (id, url, secret) values (${ep.id}, ${url}, 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')`;
      const res = await herald.api("POST", `/v1/endpoints/${ep.id}/test`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.status, "ssrf_blocked", url);
      assert.equal(res.body.status_code, null);
      assert.match(res.body.error, /not a public address/);
    }
    assert.equal(receiver.requests().length, 0);
  });
});
