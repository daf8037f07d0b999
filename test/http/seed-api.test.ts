// The seed clients' POST /events: an admin key unless HERALD_SEED_API=open, and open only on a
// loopback address, for requests naming a loopback host from no web page of another origin (DNS
// rebinding, cross-site posts). Refused requests store nothing.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { request } from "node:http";
import { describe, test } from "node:test";
import { ConfigError, loadConfig } from "../../src/config.ts";
import { heraldForSuite, startTestHerald, type TestHerald, waitFor } from "../helpers.ts";
import { startReceiver } from "../support/receiver.ts";
import { snapshot } from "../support/snapshot.ts";

const TABLES = ["events", "deliveries", "endpoints"];
const BODY = JSON.stringify({ target_url: "http://127.0.0.1:9/seed", payload: { a: 1 } });

/** POST /events over a raw socket, so the Host header is whatever the test names. */
function post(herald: TestHerald, headers: Record<string, string>): Promise<number> {
  const url = new URL(herald.url as string);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: "/events",
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(BODY);
  });
}

async function key(herald: TestHerald, scope: string, tenant?: string): Promise<string> {
  const res = await herald.api("POST", "/v1/api-keys", { name: scope, scope, tenant });
  assert.equal(res.status, 201);
  return `Bearer ${res.body.key}`;
}

describe("POST /events by default", () => {
  const { db, herald } = heraldForSuite({ role: "api" });

  test("needs an admin key: none, a wrong one, a read-only or a tenant key is refused", async () => {
    const before = await snapshot(db.sql, TABLES);
    const host = new URL(herald.url as string).host;
    assert.equal(await post(herald, { host }), 401);
    assert.equal(await post(herald, { host, authorization: "Bearer nope" }), 401);
    assert.equal(await post(herald, { host, authorization: await key(herald, "admin:read") }), 403);
    const tenant = await key(herald, "tenant", "acme");
    assert.equal(await post(herald, { host, authorization: tenant }), 403);
    assert.deepEqual(await snapshot(db.sql, TABLES), before);
    assert.equal(await post(herald, { host, authorization: await key(herald, "admin") }), 202);
    const [n] = await db.sql`select count(*)::int as n from events`;
    assert.equal(n?.n, 1);
  });
});

describe("POST /events under HERALD_SEED_API=open", () => {
  const { db, herald } = heraldForSuite({ role: "api", seedApiOpen: true });

  test("takes no key from a loopback host, by any loopback name", async () => {
    const port = new URL(herald.url as string).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, "localhost", `[::1]:${port}`]) {
      assert.equal(await post(herald, { host }), 202, host);
    }
    assert.equal(await post(herald, { host: "localhost", origin: "http://localhost:5173" }), 202);
  });

  test("is refused to other hosts and to web pages of other origins, storing nothing", async () => {
    const before = await snapshot(db.sql, TABLES);
    const port = new URL(herald.url as string).port;
    for (const headers of <Record<string, string>[]>[
      { host: `rebound.example:${port}` },
      { host: "127.0.0.1.nip.io" },
      { host: "localhost.example.com" },
      { host: "localhost", origin: "https://attacker.example" },
      { host: "localhost", origin: "null" },
    ]) {
      assert.equal(await post(herald, headers), 403, JSON.stringify(headers));
    }
    assert.deepEqual(await snapshot(db.sql, TABLES), before);
  });

  test("opens nothing else: /v1 still needs a key", async () => {
    const res = await fetch(`${herald.url}/v1/events`);
    assert.equal(res.status, 401);
  });
});

describe("HERALD_SEED_API", () => {
  test("open is refused on an address that is not loopback; other values are refused", () => {
    assert.throws(
      () => loadConfig({ HERALD_SEED_API: "open", HERALD_HOST: "0.0.0.0" }),
      (err) => err instanceof ConfigError && /loopback/.test(err.message),
    );
    assert.throws(() => loadConfig({ HERALD_SEED_API: "yes" }), ConfigError);
    assert.equal(loadConfig({ HERALD_SEED_API: "open" }).seedApiOpen, true);
    assert.equal(loadConfig({ HERALD_SEED_API: "open", HERALD_HOST: "::1" }).seedApiOpen, true);
    assert.equal(loadConfig({}).seedApiOpen, false);
  });
});

describe("the seed system's own API", () => {
  const { db, herald, receiver } = heraldForSuite(
    { role: "all", seedApiOpen: true, maxAttempts: 1 },
    () => startReceiver(),
  );
  const seed = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${herald.url}${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  };

  test("POST /events answers as the seed does and takes the fields it ignores", async () => {
    receiver.on("/ok", (_n, res) => res.writeHead(200).end());
    const res = await seed("POST", "/events", {
      target_url: `${receiver.url}/ok`,
      payload: { order: 1 },
      priority: "high",
      metadata: { from: "seed client" },
    });
    assert.equal(res.status, 202);
    assert.deepEqual(Object.keys(res.body).sort(), ["id", "message", "status"]);
    assert.equal(res.body.status, "pending");
    const delivered = await waitFor(async () => {
      const got = await seed("GET", `/events/${res.body.id}`);
      return got.body.status === "delivered" ? got : undefined;
    });
    assert.deepEqual(Object.keys(delivered.body).sort(), [
      "attempted_count",
      "created_at",
      "id",
      "last_attempted_at",
      "next_attempt_at",
      "payload",
      "status",
      "target_url",
    ]);
    assert.equal(delivered.body.target_url, `${receiver.url}/ok`);
    assert.deepEqual(delivered.body.payload, { order: 1 });
    assert.equal(delivered.body.attempted_count, 1);
    assert.equal(delivered.body.next_attempt_at, null);
    assert.ok(
      Date.parse(delivered.body.last_attempted_at) >= Date.parse(delivered.body.created_at),
    );
    const [stored] = await db.sql`select payload from events where id = ${res.body.id}`;
    assert.equal(stored?.payload, '{"order":1}', "the ignored fields are not stored");
  });

  test("GET /events pages the seed's records newest first, filters by status; unknown ids are its 404", async () => {
    receiver.on("/down", (_n, res) => res.writeHead(500).end());
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(
        (await seed("POST", "/events", { target_url: `${receiver.url}/down`, payload: { i } })).body
          .id,
      );
    }
    await waitFor(async () => (await seed("GET", "/events?status=failed")).body.total === 3);
    const failed = await seed("GET", "/events?status=failed&limit=2");
    assert.equal(failed.status, 200);
    assert.equal(failed.body.total, 3);
    assert.equal(failed.body.page, 1);
    assert.equal(failed.body.limit, 2);
    assert.deepEqual(
      failed.body.data.map((r: { id: string }) => r.id),
      [ids[2], ids[1]],
    );
    const second = await seed("GET", "/events?status=failed&limit=2&page=2");
    assert.deepEqual(
      second.body.data.map((r: { id: string }) => r.id),
      [ids[0]],
    );
    const all = await seed("GET", "/events");
    assert.equal(all.body.total, 4);
    assert.equal(all.body.limit, 20);
    // Events sent through /v1 are not the seed's.
    await herald.api("POST", "/v1/events", { id: "evt_not_seed", type: "t", payload: {} });
    assert.equal((await seed("GET", "/events")).body.total, 4);
    assert.deepEqual(await seed("GET", "/events/evt_not_seed"), {
      status: 404,
      body: { error: "Event not found" },
    });
    assert.deepEqual(await seed("GET", "/events/nope"), {
      status: 404,
      body: { error: "Event not found" },
    });
    for (const query of ["?status=done", "?page=0", "?limit=abc", "?page=-1", "?other=1"]) {
      assert.equal((await seed("GET", `/events${query}`)).status, 400, query);
    }
    assert.deepEqual(await seed("GET", "/health"), { status: 200, body: { status: "ok" } });
  });
});

describe("the seed's signatures (HERALD_SEED_SECRET)", () => {
  const SHARED = "the-seed-shared-secret";
  const { db, herald, receiver } = heraldForSuite(
    { role: "all", seedApiOpen: true, seedSecret: SHARED },
    () => startReceiver(),
  );
  const postEvent = async (base: string, body: unknown) => {
    const res = await fetch(`${base}/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 202);
    return (await res.json()) as { id: string };
  };

  test("the seed's receiver verifies X-Signature with its shared secret and finds event_id in the body", async () => {
    const target = `${receiver.url}/seed-receiver`;
    const { id } = await postEvent(herald.url as string, {
      target_url: target,
      payload: { order: 7 },
    });
    await waitFor(() => receiver.requests("/seed-receiver").length === 1, 5_000, "the delivery");
    const [req] = receiver.requests("/seed-receiver");
    const { body, headers } = req as { body: Buffer; headers: Record<string, unknown> };
    // The receiver's side, as the seed documents it.
    const expected = createHmac("sha256", SHARED).update(body).digest("hex");
    assert.equal(headers["x-signature"], expected);
    assert.deepEqual(JSON.parse(body.toString()), { order: 7, event_id: id });
    // The seed's record shows the payload as it was given.
    const record = await (await fetch(`${herald.url}/events/${id}`)).json();
    assert.deepEqual(record.payload, { order: 7 });

    // A Herald without the variable switches the URL's endpoint back, with a secret of its own.
    const plain = await startTestHerald(db.url, { role: "all", seedApiOpen: true });
    try {
      await postEvent(plain.url as string, { target_url: target, payload: { order: 8 } });
      await waitFor(() => receiver.requests("/seed-receiver").length === 2, 5_000, "the second");
      const second = receiver.requests("/seed-receiver")[1] as { headers: Record<string, unknown> };
      assert.equal(second.headers["x-signature"], undefined);
      assert.match(String(second.headers["webhook-signature"]), /^v1,/);
      const [ep] = await db.sql`
        select signature_scheme from endpoints where legacy_url_key = ${target}`;
      assert.equal(ep?.signature_scheme, "standard-webhooks");
    } finally {
      await plain.stop();
    }
  });

  test("a HERALD_SEED_SECRET too short or with spaces is refused at start", () => {
    for (const bad of ["short", "has spaces in it"]) {
      assert.throws(
        () => loadConfig({ HERALD_SEED_SECRET: bad }),
        (err) => err instanceof ConfigError && /HERALD_SEED_SECRET/.test(err.message),
      );
    }
    assert.equal(loadConfig({ HERALD_SEED_SECRET: SHARED }).seedSecret, SHARED);
  });
});
