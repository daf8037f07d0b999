// Endpoint settings: limits, signature scheme and static headers are taken, validated, stored
// and shown; the circuit the worker keeps in the endpoint's columns is shown as a state.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { heraldForSuite } from "../helpers.ts";
import { snapshot } from "../support/snapshot.ts";

const URL_ = "http://127.0.0.1:9/config";

describe("endpoint settings", () => {
  // circuitFailures 3 (not the default 5): the circuit state must follow the configuration.
  const { db, herald } = heraldForSuite({ role: "api", circuitFailures: 3 });

  async function create(body: Record<string, unknown> = {}) {
    const res = await herald.api("POST", "/v1/endpoints", { url: URL_, ...body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  }

  const state = () => snapshot(db.sql, ["endpoints", "audit_log"]);

  test("defaults: 10 in flight, no rate limit, Standard Webhooks, no headers, circuit closed", async () => {
    const ep = await create();
    const got = (await herald.api("GET", `/v1/endpoints/${ep.id}`)).body;
    assert.match(ep.secret, /^whsec_/);
    assert.equal(got.secret, undefined, "the secret is shown only at creation");
    for (const shown of [ep, got]) {
      assert.equal(shown.max_in_flight, 10);
      assert.equal(shown.rate_limit_per_second, null);
      assert.equal(shown.signature_scheme, "standard-webhooks");
      assert.deepEqual(shown.headers, {});
      assert.deepEqual(shown.circuit, {
        state: "closed",
        consecutive_failures: 0,
        next_probe_at: null,
      });
      assert.equal(shown.previous_secret_expires_at, null);
    }
  });

  test("settings given at creation are stored and shown in GET, the list and the columns", async () => {
    const settings = {
      max_in_flight: 3,
      rate_limit_per_second: 250,
      signature_scheme: "hmac-sha256-hex",
      headers: { "X-Tenant": "acme", Authorization: "Bearer t0k3n" },
    };
    const ep = await create(settings);
    const got = (await herald.api("GET", `/v1/endpoints/${ep.id}`)).body;
    const listed = (await herald.api("GET", "/v1/endpoints?limit=500")).body.data.find(
      (e: { id: string }) => e.id === ep.id,
    );
    // Reads after creation show the Authorization value redacted (test/endpoints/redaction).
    const read = { ...settings, headers: { ...settings.headers, Authorization: "redacted" } };
    for (const [shown, expected] of [
      [ep, settings],
      [got, read],
      [listed, read],
    ] as const) {
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(shown[k], v, k);
    }
    const [row] = await db.sql`
      select max_in_flight, rate_limit_per_second, signature_scheme, headers
      from endpoints where id = ${ep.id}`;
    assert.deepEqual({ ...row }, settings);
  });

  test("the limits' bounds are accepted: 1 and 1000 in flight, 1 and 100000 per second", async () => {
    for (const [m, r] of [
      [1, 1],
      [1000, 100_000],
    ]) {
      const ep = await create({ max_in_flight: m, rate_limit_per_second: r });
      assert.equal(ep.max_in_flight, m);
      assert.equal(ep.rate_limit_per_second, r);
    }
  });

  test("PATCH changes settings; null clears the rate limit and the headers", async () => {
    const ep = await create({ rate_limit_per_second: 5, headers: { "X-A": "1" } });
    let res = await herald.api("PATCH", `/v1/endpoints/${ep.id}`, {
      max_in_flight: 50,
      signature_scheme: "hmac-sha256-hex",
      headers: { "X-B": "2", "X-C": "three words\there" },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.max_in_flight, 50);
    assert.equal(res.body.rate_limit_per_second, 5);
    assert.equal(res.body.signature_scheme, "hmac-sha256-hex");
    assert.deepEqual(res.body.headers, { "X-B": "2", "X-C": "three words\there" });
    res = await herald.api("PATCH", `/v1/endpoints/${ep.id}`, {
      rate_limit_per_second: null,
      headers: null,
      signature_scheme: "standard-webhooks",
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.rate_limit_per_second, null);
    assert.deepEqual(res.body.headers, {});
    assert.equal(res.body.signature_scheme, "standard-webhooks");
    const [row] =
      await db.sql`select rate_limit_per_second, headers from endpoints where id = ${ep.id}`;
    assert.deepEqual({ ...row }, { rate_limit_per_second: null, headers: null });
    // An empty object clears the headers too.
    await herald.api("PATCH", `/v1/endpoints/${ep.id}`, { headers: { "X-D": "4" } });
    res = await herald.api("PATCH", `/v1/endpoints/${ep.id}`, { headers: {} });
    assert.deepEqual(res.body.headers, {});
  });

  const badSettings: [string, Record<string, unknown>][] = [
    ["max_in_flight 0", { max_in_flight: 0 }],
    ["max_in_flight negative", { max_in_flight: -1 }],
    ["max_in_flight over 1000", { max_in_flight: 1001 }],
    ["max_in_flight absurd", { max_in_flight: 1e12 }],
    ["max_in_flight fractional", { max_in_flight: 1.5 }],
    ["max_in_flight as a string", { max_in_flight: "10" }],
    ["max_in_flight null", { max_in_flight: null }],
    ["rate limit 0", { rate_limit_per_second: 0 }],
    ["rate limit negative", { rate_limit_per_second: -5 }],
    ["rate limit over 100000", { rate_limit_per_second: 100_001 }],
    ["rate limit fractional", { rate_limit_per_second: 2.5 }],
    ["rate limit as a string", { rate_limit_per_second: "5" }],
    ["unknown scheme", { signature_scheme: "md5" }],
    ["scheme null", { signature_scheme: null }],
    ["headers as a list", { headers: [["X-A", "1"]] }],
    ["headers as a string", { headers: "X-A: 1" }],
    ["header value a number", { headers: { "X-A": 1 } }],
    ["header value with CR LF", { headers: { "X-A": "1\r\nX-Injected: yes" } }],
    ["header value with LF", { headers: { "X-A": "1\nX-Injected: yes" } }],
    ["header value with NUL", { headers: { "X-A": "1\u0000" } }],
    ["header name with a space", { headers: { "X A": "1" } }],
    ["header name with a colon", { headers: { "X-A:": "1" } }],
    ["empty header name", { headers: { "": "1" } }],
    ["header name not ASCII", { headers: { "X-Zoë": "1" } }],
    [
      "21 headers",
      { headers: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, "v"])) },
    ],
    ["one name twice in different cases", { headers: { "X-A": "1", "x-a": "2" } }],
    ...[
      "Content-Type",
      "content-length",
      "Host",
      "User-Agent",
      "webhook-id",
      "Webhook-Timestamp",
      "WEBHOOK-SIGNATURE",
      "X-Signature",
      "Transfer-Encoding",
      "Connection",
    ].map((h): [string, Record<string, unknown>] => [
      `reserved header ${h}`,
      { headers: { "X-Ok": "1", [h]: "x" } },
    ]),
  ];

  test("bad settings are 400 invalid_request on POST and PATCH, and change nothing", async () => {
    const ep = await create({ max_in_flight: 7, headers: { "X-Keep": "1" } });
    const before = await state();
    for (const [what, bad] of badSettings) {
      for (const [method, path] of [
        ["POST", "/v1/endpoints"],
        ["PATCH", `/v1/endpoints/${ep.id}`],
      ] as const) {
        const body = method === "POST" ? { url: URL_, ...bad } : bad;
        const res = await herald.api(method, path, body);
        const shown = `${method} ${what}: ${res.status} ${JSON.stringify(res.body)}`;
        assert.equal(res.status, 400, shown);
        assert.equal(res.body.error.code, "invalid_request", shown);
        assert.ok(res.body.error.message.length > 0, shown);
      }
    }
    assert.deepEqual(await state(), before);
  });

  test("a reserved header is named in the error", async () => {
    const res = await herald.api("POST", "/v1/endpoints", {
      url: URL_,
      headers: { "Webhook-Signature": "v1,forged" },
    });
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /Webhook-Signature/);
    assert.deepEqual(res.body.error.details, { reserved: ["Webhook-Signature"] });
  });

  test("a PATCH with a bad setting among good ones changes none of them", async () => {
    const ep = await create();
    const before = await state();
    const res = await herald.api("PATCH", `/v1/endpoints/${ep.id}`, {
      description: "new",
      max_in_flight: 20,
      headers: { Host: "evil.example" },
    });
    assert.equal(res.status, 400);
    assert.deepEqual(await state(), before);
  });

  describe("circuit", () => {
    async function circuitOf(id: string, failures: number, openUntil: Date | null) {
      await db.sql`update endpoints
        set consecutive_failures = ${failures}, circuit_open_until = ${openUntil}
        where id = ${id}`;
      const got = await herald.api("GET", `/v1/endpoints/${id}`);
      const listed = (await herald.api("GET", "/v1/endpoints?limit=500")).body.data.find(
        (e: { id: string }) => e.id === id,
      );
      assert.deepEqual(listed.circuit, got.body.circuit);
      return got.body.circuit;
    }

    test("open while circuit_open_until is in the future; the next probe is then", async () => {
      const { id } = await create();
      const until = new Date(Date.now() + 60_000);
      assert.deepEqual(await circuitOf(id, 4, until), {
        state: "open",
        consecutive_failures: 4,
        next_probe_at: until.toISOString(),
      });
    });

    test("half-open once the cool-down has passed with failures at the threshold", async () => {
      const { id } = await create();
      const past = new Date(Date.now() - 1_000);
      assert.deepEqual(await circuitOf(id, 3, past), {
        state: "half_open",
        consecutive_failures: 3,
        next_probe_at: null,
      });
      assert.equal((await circuitOf(id, 9, null)).state, "half_open");
    });

    test("closed below the threshold (HERALD_CIRCUIT_FAILURES), open time passed or not", async () => {
      const { id } = await create();
      assert.deepEqual(await circuitOf(id, 2, null), {
        state: "closed",
        consecutive_failures: 2,
        next_probe_at: null,
      });
      assert.equal((await circuitOf(id, 2, new Date(Date.now() - 1_000))).state, "closed");
    });
  });
});
