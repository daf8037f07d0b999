// Property-based abuse of every /v1 route (issue 6, item 4): random and malformed bodies,
// headers, ids and query strings. Whatever comes in, the answer has a status docs/api.md lists
// for that route (never 500), every error is { "error": { "code", "message" } } with a
// documented code and its documented status, the process stays up, and nothing invalid is
// stored. fast-check prints the seed and the shrunk counterexample when a property fails.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, describe, test } from "node:test";
import fc from "fast-check";
import { API_KEY, heraldForSuite } from "../helpers.ts";

/** `code` → status, read from the error table of docs/api.md. */
function documentedErrors(): Map<string, number> {
  const doc = readFileSync(new URL("../../docs/api.md", import.meta.url), "utf8");
  const table = doc.slice(doc.indexOf("## Errors"));
  const codes = new Map<string, number>();
  for (const m of table.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)) {
    codes.set(m[1] as string, Number(m[2]));
  }
  return codes;
}

interface Ids {
  endpoint: string;
  event: string;
  delivery: string;
  source: string;
}

type IdKind = keyof Ids;

interface Route {
  method: string;
  /** Path with `:id` for the id, if any. */
  path: string;
  id?: IdKind;
  /** The 2xx answers docs/api.md lists for the route. */
  ok: number[];
  /** Fields of the documented body, used to build plausible-but-wrong bodies. */
  fields?: string[];
  /** A body the route accepts, mutated into near-valid ones (so some writes succeed). */
  valid?: Record<string, unknown>;
}

// Every /v1 route of docs/api.md but GET /v1/stream (a Server-Sent Events stream that stays
// open; its auth and query checks are covered by test/http/stream.test.ts).
const ENDPOINT_FIELDS = [
  "url",
  "tenant",
  "event_types",
  "description",
  "secret",
  "max_in_flight",
  "rate_limit_per_second",
  "signature_scheme",
  "headers",
  "enabled",
];
const ROUTES: Route[] = [
  {
    method: "POST",
    path: "/v1/endpoints",
    ok: [201],
    fields: ENDPOINT_FIELDS,
    valid: { url: "http://127.0.0.1:9/h" },
  },
  { method: "GET", path: "/v1/endpoints", ok: [200] },
  { method: "GET", path: "/v1/endpoints/:id", id: "endpoint", ok: [200] },
  {
    method: "PATCH",
    path: "/v1/endpoints/:id",
    id: "endpoint",
    ok: [200],
    fields: ENDPOINT_FIELDS,
    valid: { description: "d" },
  },
  { method: "DELETE", path: "/v1/endpoints/:id", id: "endpoint", ok: [204] },
  {
    method: "POST",
    path: "/v1/endpoints/:id/disable",
    id: "endpoint",
    ok: [200],
    fields: ["reason"],
    valid: { reason: "r" },
  },
  { method: "POST", path: "/v1/endpoints/:id/enable", id: "endpoint", ok: [200], fields: [] },
  {
    method: "POST",
    path: "/v1/endpoints/:id/rotate-secret",
    id: "endpoint",
    ok: [200],
    fields: ["secret"],
  },
  {
    method: "POST",
    path: "/v1/endpoints/:id/recover",
    id: "endpoint",
    ok: [200],
    fields: ["since", "until"],
    valid: { since: "2026-01-01T00:00:00Z" },
  },
  { method: "POST", path: "/v1/endpoints/:id/test", id: "endpoint", ok: [200] },
  { method: "GET", path: "/v1/endpoints/:id/stats", id: "endpoint", ok: [200] },
  {
    method: "POST",
    path: "/v1/events",
    ok: [200, 202],
    fields: ["id", "type", "tenant", "payload", "endpoint_ids"],
    valid: { type: "t", payload: {} },
  },
  {
    method: "POST",
    path: "/v1/events/batch",
    ok: [200],
    fields: ["events"],
    valid: { events: [{ type: "t", payload: {} }] },
  },
  { method: "GET", path: "/v1/events", ok: [200] },
  { method: "GET", path: "/v1/events/:id", id: "event", ok: [200] },
  {
    method: "POST",
    path: "/v1/events/:id/replay",
    id: "event",
    ok: [200],
    fields: ["endpoint_ids"],
  },
  { method: "GET", path: "/v1/deliveries", ok: [200] },
  { method: "GET", path: "/v1/deliveries/:id", id: "delivery", ok: [200] },
  { method: "POST", path: "/v1/deliveries/:id/retry", id: "delivery", ok: [200] },
  {
    method: "POST",
    path: "/v1/sources",
    ok: [201],
    fields: ["name", "provider", "secret", "tenant", "endpoint_ids", "options"],
    valid: { name: "n", provider: "none" },
  },
  { method: "GET", path: "/v1/sources", ok: [200] },
  { method: "GET", path: "/v1/sources/:id", id: "source", ok: [200] },
  {
    method: "PATCH",
    path: "/v1/sources/:id",
    id: "source",
    ok: [200],
    fields: ["name", "secret", "tenant", "endpoint_ids", "options"],
    valid: { name: "n" },
  },
  { method: "DELETE", path: "/v1/sources/:id", id: "source", ok: [204] },
  { method: "GET", path: "/v1/audit", ok: [200] },
  { method: "GET", path: "/v1/stats/overview", ok: [200] },
  {
    method: "POST",
    path: "/v1/api-keys",
    ok: [201],
    fields: ["name", "scope", "tenant", "expires_at"],
    valid: { name: "n", scope: "admin:read" },
  },
  { method: "GET", path: "/v1/api-keys", ok: [200] },
  {
    method: "POST",
    path: "/v1/event-types",
    ok: [201],
    fields: ["name", "description", "example"],
    valid: { name: "abuse.type" },
  },
  { method: "GET", path: "/v1/event-types", ok: [200] },
  {
    method: "POST",
    path: "/v1/portal-sessions",
    ok: [201],
    fields: ["tenant", "expires_in", "read_only"],
    valid: { tenant: "t" },
  },
  { method: "POST", path: "/v1/stream-tokens", ok: [201], fields: [] },
  { method: "GET", path: "/v1/me", ok: [200] },
];

/**
 * Error statuses any /v1 route may answer (414 only if the URL is too long for the server, 431
 * when the random headers add up to more than 16 KiB).
 */
const ERROR_STATUSES = [400, 401, 404, 409, 413, 414, 415, 431];

const QUERY_KEYS = [
  "tenant",
  "type",
  "status",
  "limit",
  "cursor",
  "endpoint_id",
  "subject",
  "access_token",
  "prefix",
  "colour",
];

// ---- arbitraries ----

const nasty = fc.constantFrom(
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "%00",
  "%",
  "%zz",
  "%c3%28",
  "%ff%fe",
  "../../etc/passwd",
  "ep_",
  "evt_",
  "dlv_",
  "src_",
  "null",
  "undefined",
  "-1",
  "0",
  "1e309",
  "99999999999999999999",
  "\ud83d\ude00",
  "\u202e",
  "ñ",
  "'; drop table events; --",
  "x".repeat(300),
);

/** A string that may be anything: ascii, full unicode (lone surrogates included), NUL, long. */
const anyString = fc.oneof(
  nasty,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: fc.constantFrom("a", "%", "0", "/", "?", "#", "\u0000", "é"), maxLength: 20 }),
  fc.nat({ max: 300 }).map((n) => "z".repeat(n)),
);

/** Values for a documented field: right type sometimes, wrong type often. */
const fieldValue = fc.oneof(
  anyString,
  fc.constantFrom(
    "http://127.0.0.1:9/hook",
    "https://example.com/h",
    "ftp://x/",
    "http://",
    `http://127.0.0.1:9/${"p".repeat(2100)}`,
    "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "standard-webhooks",
    "hmac-sha256-hex",
    "seed-000",
    "stripe",
    "github",
    "hmac",
    "none",
    "2026-01-01T00:00:00Z",
    "not a date",
  ),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(anyString, { maxLength: 4 }),
  fc.dictionary(anyString, anyString, { maxKeys: 4 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** The route's valid body with some fields set to strings of any kind (as a url's path, a
 * type, a tenant, a name...) or to any JSON value (a payload), so that many are stored. */
function nearValidBody(route: Route): fc.Arbitrary<string> {
  const valid = route.valid ?? {};
  return fc
    .array(
      fc.tuple(
        fc.constantFrom(...(route.fields?.length ? route.fields : ["x"])),
        fc.oneof(
          anyString.map(toWellFormed),
          anyString.map((t) => `http://127.0.0.1:9/${encodeURIComponent(toWellFormed(t))}`),
          anyString.map((t) => `https://${toWellFormed(t)}`),
          fc.jsonValue({ maxDepth: 3 }),
        ),
      ),
      { maxLength: 2 },
    )
    .map((changes) => JSON.stringify({ ...valid, ...Object.fromEntries(changes) }));
}

function bodyFor(route: Route): fc.Arbitrary<string | undefined> {
  const shaped = fc
    .record(
      Object.fromEntries((route.fields ?? []).map((f) => [f, fieldValue])) as Record<
        string,
        fc.Arbitrary<unknown>
      >,
      { requiredKeys: [] },
    )
    .chain((obj) =>
      fc.oneof(
        fc.constant(obj),
        fc.tuple(anyString, fieldValue).map(([k, v]) => ({ ...obj, [k]: v })),
      ),
    )
    .map((obj) => JSON.stringify(obj));
  const nearValid = nearValidBody(route);
  return fc.oneof(
    { weight: route.valid ? 6 : 0, arbitrary: nearValid },
    { weight: 4, arbitrary: shaped },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: anyString },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "{",
        '{"a":',
        "[1,2",
        '{"type": "t",}',
        "\u0000",
        '{"__proto__": {"polluted": true}}',
        '{"constructor": {"prototype": {"x": 1}}}',
        `{"payload": ${"[".repeat(5000)}${"]".repeat(5000)}}`,
        "\ufeff{}",
      ),
    },
  );
}

const contentType = fc.oneof(
  { weight: 12, arbitrary: fc.constant("application/json") },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      undefined,
      "application/json; charset=utf-8",
      "APPLICATION/JSON",
      "application/json; charset=latin1",
      "application/json;;;",
      "application/vnd.api+json",
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/xml",
      "",
      "*/*",
      "application/json\tx",
    ),
  },
);

/** printable ASCII, as header values must be (fetch refuses the rest before sending). */
const headerText = (max: number) =>
  fc.string({
    unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    maxLength: max,
  });

const authorization = fc.oneof(
  { weight: 8, arbitrary: fc.constant(`Bearer ${API_KEY}`) },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.constantFrom(
        undefined,
        "",
        "Bearer",
        "Bearer ",
        `bearer ${API_KEY}`,
        `Bearer ${API_KEY} `,
        `Bearer ${API_KEY}x`,
        `Basic ${Buffer.from(`x:${API_KEY}`).toString("base64")}`,
        `Bearer ${"k".repeat(8000)}`,
      ),
      headerText(60).map((s) => `Bearer ${s}`),
    ),
  },
);

const extraHeaders = fc.record(
  {
    "idempotency-key": headerText(300),
    "x-junk": fc.nat({ max: 8000 }).map((n) => "j".repeat(n)),
    "last-event-id": headerText(40),
    accept: fc.constantFrom("*/*", "text/html", "application/json", "text/event-stream"),
  },
  { requiredKeys: [] },
);

/** Encodes an id for the path: properly escaped most of the time, raw %-sequences sometimes. */
function idArb(kind: IdKind, ids: Ids): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(encodeURIComponent(ids[kind])) },
    { weight: 3, arbitrary: anyString.map((s) => encodeURIComponent(toWellFormed(s))) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "%00",
        "%",
        "%zz",
        "%c3%28",
        "%ff",
        "a%2Fb",
        "%2e%2e",
        "x%20y",
        "y".repeat(900),
      ),
    },
  );
}

/** Lone surrogates can't be percent-encoded; replace them (the raw %ff cases cover bad UTF-8). */
function toWellFormed(s: string): string {
  return s.replace(/[\ud800-\udfff]/g, (c, i: number) => {
    const code = c.charCodeAt(0);
    const next = s.charCodeAt(i + 1);
    const prev = s.charCodeAt(i - 1);
    if (code < 0xdc00 && next >= 0xdc00 && next <= 0xdfff) return c;
    if (code >= 0xdc00 && prev >= 0xd800 && prev < 0xdc00) return c;
    return "\ufffd";
  });
}

const queryArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant("") },
  {
    weight: 3,
    arbitrary: fc
      .array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...QUERY_KEYS), anyString),
          fc.oneof(
            anyString,
            fc.constantFrom("1", "500", "501", "0", "-1", "pending", "failed", "MTIz", "eyJ9"),
          ),
        ),
        { maxLength: 4 },
      )
      .map((pairs) =>
        pairs.length === 0
          ? ""
          : `?${pairs
              .map(
                ([k, v]) =>
                  `${encodeURIComponent(toWellFormed(k))}=${encodeURIComponent(toWellFormed(v))}`,
              )
              .join("&")}`,
      ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom("?", "?&&", "?limit", "?limit=%", "?tenant=%zz", "?a=%00"),
  },
);

interface Call {
  method: string;
  path: string;
  route: Route;
  body: string | undefined;
  headers: Record<string, string>;
}

function callArb(ids: Ids): fc.Arbitrary<Call> {
  return fc
    .constantFrom(...ROUTES)
    .chain((route) =>
      fc.record({
        route: fc.constant(route),
        id: route.id ? idArb(route.id, ids) : fc.constant(""),
        query: queryArb,
        body: bodyFor(route),
        contentType,
        authorization,
        extra: extraHeaders,
      }),
    )
    .map(({ route, id, query, body, contentType, authorization, extra }) => {
      const headers: Record<string, string> = { ...extra };
      if (authorization !== undefined) headers.authorization = authorization;
      if (contentType !== undefined && body !== undefined) headers["content-type"] = contentType;
      return {
        method: route.method,
        path: route.path.replace(":id", id) + query,
        route,
        body: route.method === "GET" || route.method === "HEAD" ? undefined : body,
        headers,
      };
    });
}

type Answer = { status: number; text: string };

/** Over a real socket: random paths and headers must meet Node's own HTTP parser. */
async function send(base: string, call: Call): Promise<Answer> {
  const res = await fetch(`${base}${call.path}`, {
    method: call.method,
    headers: call.headers,
    body: call.body,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, text: await res.text() };
}

describe("abuse of every /v1 route (property-based)", () => {
  const { db, herald } = heraldForSuite({ role: "api" });
  const errors = documentedErrors();
  const ids: Ids = { endpoint: "", event: "", delivery: "", source: "" };

  before(async () => {
    assert.ok(errors.size >= 15, "error table of docs/api.md not found");
    const ep = await herald.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/hook" });
    assert.equal(ep.status, 201);
    ids.endpoint = ep.body.id;
    const ev = await herald.api("POST", "/v1/events", { type: "t", payload: { a: 1 } });
    assert.equal(ev.status, 202);
    ids.event = ev.body.id;
    const dl = await herald.api("GET", "/v1/deliveries");
    ids.delivery = dl.body.data[0].id;
    const src = await herald.api("POST", "/v1/sources", { name: "s", provider: "none" });
    assert.equal(src.status, 201);
    ids.source = src.body.id;
  });

  function checkAnswer(call: Call, { status, text }: { status: number; text: string }): void {
    const what = `${call.method} ${call.path} -> ${status} ${text.slice(0, 300)}`;
    assert.ok(
      call.route.ok.includes(status) || ERROR_STATUSES.includes(status),
      `undocumented status: ${what}`,
    );
    if (status < 300) return;
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      assert.fail(`error answer is not JSON: ${what}`);
    }
    assert.ok(body && typeof body.error === "object" && body.error !== null, what);
    assert.equal(typeof body.error.code, "string", what);
    assert.equal(typeof body.error.message, "string", what);
    assert.ok(body.error.message.length > 0, what);
    assert.equal(errors.get(body.error.code), status, `undocumented code/status: ${what}`);
  }

  /** Through inject(): for calls whose path and headers are well formed, no socket needed. */
  async function inject(call: Call): Promise<Answer> {
    const res = await herald.app!.inject({
      method: call.method as "POST",
      url: call.path,
      headers: call.headers,
      ...(call.body !== undefined ? { payload: call.body } : {}),
    });
    return { status: res.statusCode, text: res.body };
  }

  // First, while the seeded endpoint and source exist (the random calls may delete them).
  test("near-valid writes are stored or refused, never a 500", async () => {
    const writes = ROUTES.filter((r) => r.valid);
    const arb = fc
      .constantFrom(...writes)
      .chain((route) =>
        fc.record({
          route: fc.constant(route),
          id: route.id ? fc.constant(encodeURIComponent(ids[route.id])) : fc.constant(""),
          body: nearValidBody(route),
        }),
      )
      .map(
        ({ route, id, body }): Call => ({
          method: route.method,
          path: route.path.replace(":id", id),
          route,
          body,
          headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
        }),
      );
    await fc.assert(
      fc.asyncProperty(arb, async (call) => checkAnswer(call, await inject(call))),
      { numRuns: 100 },
    );
  });

  test("only documented statuses and errors come back, whatever is sent", async () => {
    await fc.assert(
      fc.asyncProperty(callArb(ids), async (call) => {
        const { status, text } = await send(herald.url as string, call);
        checkAnswer(call, { status, text });
      }),
      { numRuns: 200 },
    );
  });

  test("the process is still up", async () => {
    const res = await fetch(`${herald.url}/health/live`);
    assert.equal(res.status, 200);
    const ready = await fetch(`${herald.url}/health/ready`);
    assert.equal(ready.status, 200);
  });

  test("nothing invalid was stored", async () => {
    const badEndpoints = await db.sql`
      select id, url from endpoints where url !~ '^https?://[^/]'`;
    assert.deepEqual([...badEndpoints], []);
    const events = await db.sql<
      { id: string; type: string; payload: string; content_type: string | null }[]
    >`
      select id, type, payload, content_type from events`;
    assert.ok(events.length >= 1);
    for (const e of events) {
      assert.ok(e.type.length > 0, `event ${e.id} has an empty type`);
      if (e.content_type === null) {
        assert.doesNotThrow(() => JSON.parse(e.payload), `event ${e.id} payload is not JSON`);
      }
    }
    // No NUL: PostgreSQL text and jsonb cannot hold one, so a request carrying one either is
    // refused with 400 or would have failed in the database (a 500, caught by the first test).
    // An escaped "\\u0000" inside a JSON payload is a legitimate payload, not a stored NUL.
  });
});
