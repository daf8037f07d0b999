// API authentication: every /v1 route needs `Authorization: Bearer <key>`; keys are stored
// as SHA-256 hashes only; a first start without HERALD_API_KEY generates one key, once.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { connect as netConnect } from "node:net";
import { after, before, describe, test } from "node:test";
import pino from "pino";
import { startHerald } from "../../src/herald.ts";
import { API_KEY, heraldForSuite, migratedDatabase, testConfig } from "../helpers.ts";
import { type Route, routesOf } from "../support/routes.ts";

describe("API authentication", () => {
  const { db, herald } = heraldForSuite({ role: "api" });
  let v1: Route[];

  before(() => {
    // Every /v1 route but the API's own description, which is public (test/http/openapi.test.ts).
    v1 = routesOf(herald).filter((r) => r.path.startsWith("/v1/") && r.path !== "/v1/openapi.json");
  });

  async function rows(): Promise<unknown> {
    const [r] = await db.sql`
      select (select count(*)::int from events) as events,
             (select count(*)::int from endpoints) as endpoints,
             (select count(*)::int from all_deliveries) as deliveries`;
    return r;
  }

  async function call(route: Route, authorization?: string) {
    const res = await fetch(`${herald.url}${route.path.replaceAll(":id", "some_id")}`, {
      method: route.method,
      headers: {
        ...(authorization !== undefined ? { authorization } : {}),
        ...(route.method === "GET" || route.method === "DELETE"
          ? {}
          : { "content-type": "application/json" }),
      },
      body:
        route.method === "GET" || route.method === "DELETE"
          ? undefined
          : JSON.stringify({ url: "http://127.0.0.1:9/h", type: "t", payload: {} }),
    });
    const type = res.headers.get("content-type");
    // The live stream never ends by itself: its status and type are the answer.
    if (type?.startsWith("text/event-stream")) {
      await res.body?.cancel();
      return { status: res.status, type, body: null };
    }
    return { status: res.status, type, body: await res.json() };
  }

  function assertUnauthorized(
    res: { status: number; type: string | null; body: any },
    what: string,
  ) {
    assert.equal(res.status, 401, what);
    assert.match(res.type ?? "", /^application\/json/, what);
    assert.deepEqual(Object.keys(res.body), ["error"], what);
    assert.equal(res.body.error.code, "unauthorized", what);
    assert.equal(typeof res.body.error.message, "string", what);
    assert.ok(res.body.error.message.length > 0, what);
  }

  test("the route list read from the app covers the known /v1 routes", () => {
    const known = [
      "POST /v1/events",
      "GET /v1/events",
      "GET /v1/events/:id",
      "POST /v1/endpoints",
      "GET /v1/endpoints",
      "GET /v1/endpoints/:id",
      "PATCH /v1/endpoints/:id",
      "DELETE /v1/endpoints/:id",
      "GET /v1/deliveries",
      "GET /v1/deliveries/:id",
      "GET /v1/stream",
      "GET /v1/stats/overview",
    ];
    const found = new Set(v1.map((r) => `${r.method} ${r.path}`));
    for (const k of known) assert.ok(found.has(k), `${k} missing from ${[...found].join(", ")}`);
  });

  test("every /v1 route without a key, with a wrong key or a malformed header is 401", async () => {
    const before = await rows();
    const headers: (string | undefined)[] = [
      undefined,
      "",
      "Bearer wrong-key-0123456789",
      `Bearer ${API_KEY}x`,
      `Bearer ${API_KEY.slice(0, -1)}`,
      API_KEY,
      `Basic ${Buffer.from(`user:${API_KEY}`).toString("base64")}`,
      `Token ${API_KEY}`,
      "Bearer",
      "Bearer ",
      `Bearer ${API_KEY} extra`,
      `Bearer${API_KEY}`,
    ];
    for (const route of v1) {
      for (const authorization of headers) {
        const what = `${route.method} ${route.path} with ${JSON.stringify(authorization)}`;
        assertUnauthorized(await call(route, authorization), what);
      }
    }
    // Unknown paths under /v1 do not reveal what exists without a key either.
    assertUnauthorized(await call({ method: "GET", path: "/v1/nothing-here" }), "unknown path");
    assert.deepEqual(await rows(), before);
  });

  test("the key check cannot be sidestepped by encoding the path or an absolute-form target", async () => {
    for (const path of ["/%761/events", "/v%31/endpoints", "/%76%31/deliveries"]) {
      assertUnauthorized(await call({ method: "GET", path }), path);
    }
    const raw = await new Promise<string>((resolve, reject) => {
      const { port } = new URL(herald.url!);
      const socket = netConnect(Number(port), "127.0.0.1", () =>
        socket.write(
          `GET http://127.0.0.1:${port}/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
        ),
      );
      let out = "";
      socket.on("data", (d) => {
        out += d;
      });
      socket.on("end", () => resolve(out));
      socket.on("error", reject);
    });
    const status = Number(raw.match(/^HTTP\/1\.1 (\d{3})/)?.[1]);
    assert.ok(status === 401 || status === 404 || status === 400, raw);
    assert.doesNotMatch(raw, /"data"/);
  });

  test("the right key opens every /v1 route", async () => {
    for (const route of v1.filter((r) => r.method === "GET")) {
      const res = await call(route, `Bearer ${API_KEY}`);
      assert.notEqual(res.status, 401, `${route.method} ${route.path}`);
    }
    const list = await call({ method: "GET", path: "/v1/events" }, `bearer ${API_KEY}`);
    assert.equal(list.status, 200);
  });

  test("/health/live and /health/ready need no key", async () => {
    for (const path of ["/health/live", "/health/ready"]) {
      const res = await fetch(`${herald.url}${path}`);
      assert.equal(res.status, 200, path);
      assert.equal((await res.json()).status, "ok");
    }
  });

  test("keys are stored as their SHA-256 only; no column holds the key", async () => {
    const rows = await db.sql<{ key_hash: Buffer; row_text: string }[]>`
      select key_hash, k::text as row_text from api_keys k`;
    assert.equal(rows.length, 1);
    const expected = createHash("sha256").update(API_KEY).digest();
    assert.ok(rows[0]!.key_hash.equals(expected));
    const columns = await db.sql<{ value: string | null }[]>`
      select value from api_keys k, jsonb_each_text(to_jsonb(k)) as c(name, value)`;
    assert.ok(columns.length > 0);
    for (const { value } of columns) {
      assert.notEqual(value, API_KEY);
      assert.ok(!(value ?? "").includes(API_KEY));
    }
    assert.ok(!rows[0]!.row_text.includes(API_KEY));
    assert.ok(!rows[0]!.row_text.includes(Buffer.from(API_KEY).toString("hex")));
  });
});

describe("generated API key", () => {
  let db: Awaited<ReturnType<typeof migratedDatabase>>;

  before(async () => {
    db = await migratedDatabase();
  });
  after(async () => {
    await db.drop();
  });

  test("a first start without HERALD_API_KEY generates a key that works; a second start generates none", async () => {
    const config = testConfig(db.url, { role: "api", apiKey: undefined });
    const log = pino({ level: "silent" });

    const first = await startHerald(config, log);
    let key: string;
    try {
      key = first.generatedKey as string;
      assert.equal(typeof key, "string");
      assert.ok(key.length >= 20, key);
      const ok = await fetch(`${first.url}/v1/events`, {
        headers: { authorization: `Bearer ${key}` },
      });
      assert.equal(ok.status, 200);
      const wrong = await fetch(`${first.url}/v1/events`, {
        headers: { authorization: `Bearer ${key}x` },
      });
      assert.equal(wrong.status, 401);
    } finally {
      await first.stop();
    }

    const second = await startHerald(config, log);
    try {
      assert.equal(second.generatedKey, undefined);
      const ok = await fetch(`${second.url}/v1/events`, {
        headers: { authorization: `Bearer ${key}` },
      });
      assert.equal(ok.status, 200);
    } finally {
      await second.stop();
    }

    const stored = await db.sql<{ key_hash: Buffer; row_text: string }[]>`
      select key_hash, k::text as row_text from api_keys k`;
    assert.equal(stored.length, 1);
    assert.ok(stored[0]!.key_hash.equals(createHash("sha256").update(key).digest()));
    assert.ok(!stored[0]!.row_text.includes(key));
    // Its creation is audited once, without the key.
    const audited = await db.sql<{ actor: string; row_text: string }[]>`
      select actor, a::text as row_text from audit_log a where action = 'api_key.created'`;
    assert.equal(audited.length, 1);
    assert.equal(audited[0]!.actor, "system");
    assert.ok(!audited[0]!.row_text.includes(key));
  });
});
