// Bad input gets a clear JSON error with the right status and changes nothing: every case
// here asserts { "error": { "code", "message" } } and that no row was added or changed.
import assert from "node:assert/strict";
import { before, beforeEach, describe, test } from "node:test";
import { heraldForSuite } from "../helpers.ts";

describe("bad input", () => {
  const { db, herald } = heraldForSuite({ role: "api" });
  let endpointId: string;
  let snapshot: unknown;

  before(async () => {
    const ep = await herald.inject("POST", "/v1/endpoints", {
      url: "http://127.0.0.1:9/hook",
      tenant: "bad",
      description: "original",
    });
    assert.equal(ep.status, 201);
    endpointId = ep.body.id;
    const ev = await herald.inject("POST", "/v1/events", { tenant: "bad", type: "t", payload: {} });
    assert.equal(ev.status, 202);
  });

  /** Every table's rows, so "nothing changed" covers updates as well as inserts. */
  async function state(): Promise<unknown> {
    const [r] = await db.sql`
      select (select coalesce(json_agg(e order by seq), '[]') from events e) as events,
             (select coalesce(json_agg(d order by id), '[]') from deliveries d) as deliveries,
             (select coalesce(json_agg(h order by id), '[]') from delivery_history h) as history,
             (select coalesce(json_agg(p order by id), '[]') from endpoints p) as endpoints,
             (select count(*)::int from api_keys) as api_keys`;
    return r;
  }

  beforeEach(async () => {
    snapshot = await state();
  });

  async function assertUnchanged(): Promise<void> {
    assert.deepEqual(await state(), snapshot);
  }

  function assertError(res: { status: number; body: any }, status: number, code: string) {
    const what = JSON.stringify(res.body);
    assert.equal(res.status, status, what);
    assert.ok(res.body && typeof res.body.error === "object", what);
    assert.equal(res.body.error.code, code, what);
    assert.equal(typeof res.body.error.message, "string", what);
    assert.ok(res.body.error.message.length > 0, what);
  }

  test("malformed JSON is 400 invalid_json", async () => {
    for (const raw of ['{"type": "t", "payload": ', "{type: 't'}", "not json", ""]) {
      assertError(await herald.inject("POST", "/v1/events", raw), 400, "invalid_json");
    }
    assertError(await herald.inject("POST", "/v1/endpoints", '{"url": }'), 400, "invalid_json");
    assertError(
      await herald.inject("PATCH", `/v1/endpoints/${endpointId}`, '{"description": "x",}'),
      400,
      "invalid_json",
    );
    await assertUnchanged();
  });

  test("wrong or missing event fields are 400 invalid_request", async () => {
    const bodies: unknown[] = [
      { type: 5, payload: {} },
      { type: "t" },
      { payload: {} },
      { type: "t", tenant: 5, payload: {} },
      { type: "t", tenant: true, payload: {} },
      { type: "", payload: {} },
      { type: "t".repeat(256), payload: {} },
      { type: ["t"], payload: {} },
      { id: 7, type: "t", payload: {} },
      { id: "", type: "t", payload: {} },
      { type: "t", payload: {}, endpoint_ids: "ep_1" },
      { type: "t", payload: {}, endpoint_ids: [] },
      { type: "t", payload: {}, unknown_field: 1 },
      null,
      [],
      "a string",
    ];
    for (const body of bodies) {
      const res = await herald.inject("POST", "/v1/events", JSON.stringify(body));
      assertError(res, 400, "invalid_request");
    }
    await assertUnchanged();
  });

  test("text containing \\u0000 is 400, never a database error", async () => {
    assertError(
      await herald.inject("POST", "/v1/events", { type: "a\u0000b", payload: {} }),
      400,
      "invalid_request",
    );
    assertError(
      await herald.inject("POST", "/v1/events", { type: "t", tenant: "x\u0000", payload: {} }),
      400,
      "invalid_request",
    );
    assertError(
      await herald.inject("POST", "/v1/events", { id: "\u0000", type: "t", payload: {} }),
      400,
      "invalid_request",
    );
    assertError(
      await herald.inject("POST", "/v1/endpoints", {
        url: "http://127.0.0.1:9/h",
        description: "a\u0000b",
      }),
      400,
      "invalid_request",
    );
    assertError(
      await herald.inject("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/\u0000" }),
      400,
      "invalid_request",
    );
    assertError(
      await herald.inject("PATCH", `/v1/endpoints/${endpointId}`, { description: "\u0000" }),
      400,
      "invalid_request",
    );
    for (const path of [
      "/v1/events/%00",
      "/v1/endpoints/%00",
      "/v1/deliveries/%00",
      "/v1/events?tenant=%00",
      "/v1/events?cursor=%00",
      "/v1/endpoints?cursor=%00",
      "/v1/deliveries?cursor=%00",
    ]) {
      assertError(await herald.inject("GET", path), 400, "invalid_request");
    }
    await assertUnchanged();
  });

  test("a path with bad percent-encoding is 400 invalid_request in the API's format", async () => {
    // Found by test/http/abuse.property.test.ts: Fastify's own {"error":"Bad Request",
    // "code":"FST_ERR_BAD_URL"} body came back for these.
    for (const path of [
      "/v1/endpoints/%c3%28",
      "/v1/endpoints/%ff/recover",
      "/v1/events/%e2%82",
      "/v1/deliveries/%c3%28/retry",
    ]) {
      const method = path.endsWith("/retry") || path.endsWith("/recover") ? "POST" : "GET";
      assertError(await herald.inject(method, path), 400, "invalid_request");
    }
    await assertUnchanged();
  });

  test("unknown fields in endpoint bodies are 400", async () => {
    assertError(
      await herald.inject("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/h", colour: "red" }),
      400,
      "invalid_request",
    );
    assertError(
      await herald.inject("PATCH", `/v1/endpoints/${endpointId}`, {
        description: "x",
        colour: "red",
      }),
      400,
      "invalid_request",
    );
    assertError(
      await herald.inject("PATCH", `/v1/endpoints/${endpointId}`, { secret: "whsec_x" }),
      400,
      "invalid_request",
    );
    assertError(
      await herald.inject("PATCH", `/v1/endpoints/${endpointId}`, {}),
      400,
      "invalid_request",
    );
    assertError(
      await herald.inject("POST", "/v1/endpoints", { description: "no url" }),
      400,
      "invalid_request",
    );
    assertError(
      await herald.inject("POST", "/v1/endpoints", {
        url: "http://127.0.0.1:9/h",
        event_types: ["a", "a"],
      }),
      400,
      "invalid_request",
    );
    await assertUnchanged();
  });

  test("endpoint URLs that are not absolute http(s) are 400", async () => {
    const urls = [
      "ftp://127.0.0.1/h",
      "javascript:alert(1)",
      "file:///etc/passwd",
      "not a url",
      "/relative/path",
      "127.0.0.1:9/h",
      "",
    ];
    for (const url of urls) {
      assertError(await herald.inject("POST", "/v1/endpoints", { url }), 400, "invalid_request");
      assertError(
        await herald.inject("PATCH", `/v1/endpoints/${endpointId}`, { url }),
        400,
        "invalid_request",
      );
    }
    for (const target_url of ["ftp://127.0.0.1/h", "javascript:alert(1)", "not a url"]) {
      assertError(
        await herald.inject("POST", "/events", { target_url, payload: {} }),
        400,
        "invalid_request",
      );
    }
    await assertUnchanged();
  });

  test("a body over 1 MiB is 413 payload_too_large; one just under is accepted", async () => {
    const limit = 1024 * 1024;
    const over = JSON.stringify({ type: "t", payload: { blob: "x".repeat(limit) } });
    assert.ok(Buffer.byteLength(over) > limit);
    assertError(await herald.inject("POST", "/v1/events", over), 413, "payload_too_large");
    const overEndpoint = JSON.stringify({
      url: "http://127.0.0.1:9/h",
      description: "d".repeat(limit),
    });
    assertError(
      await herald.inject("POST", "/v1/endpoints", overEndpoint),
      413,
      "payload_too_large",
    );
    await assertUnchanged();

    const frame = JSON.stringify({ type: "t", tenant: "big", payload: { blob: "" } });
    const under = JSON.stringify({
      type: "t",
      tenant: "big",
      payload: { blob: "x".repeat(limit - Buffer.byteLength(frame) - 10) },
    });
    assert.ok(Buffer.byteLength(under) <= limit);
    const accepted = await herald.inject("POST", "/v1/events", under);
    assert.equal(accepted.status, 202, JSON.stringify(accepted.body));
  });

  test("a body that is not JSON is 415 unsupported_media_type", async () => {
    const body = JSON.stringify({ type: "t", payload: {} });
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/xml"]) {
      assertError(
        await herald.inject("POST", "/v1/events", body, { "content-type": type }),
        415,
        "unsupported_media_type",
      );
    }
    assertError(
      await herald.inject(
        "POST",
        "/v1/endpoints",
        JSON.stringify({ url: "http://127.0.0.1:9/h" }),
        {
          "content-type": "text/plain",
        },
      ),
      415,
      "unsupported_media_type",
    );
    await assertUnchanged();
  });

  test("a body nested deeper than 64 levels is 400 payload_too_deep, with or without a key", async () => {
    const nested = (levels: number) => "[".repeat(levels) + "]".repeat(levels);
    const deep = `{"type": "t", "payload": ${nested(5_000)}}`;
    assertError(await herald.inject("POST", "/v1/events", deep), 400, "payload_too_deep");
    assertError(
      await herald.inject(
        "POST",
        "/events",
        `{"target_url": "http://127.0.0.1:9/h", "payload": ${nested(5_000)}}`,
      ),
      400,
      "payload_too_deep",
    );
    // The body's own object is the first level: 63 more fit, 64 do not.
    const over = `{"type": "t", "payload": ${nested(64)}}`;
    assertError(await herald.inject("POST", "/v1/events", over), 400, "payload_too_deep");
    // Brackets inside strings do not count.
    const inString = JSON.stringify({ type: "t", tenant: "deep", payload: { s: "[".repeat(500) } });
    await assertUnchanged();
    const fits = `{"type": "t", "tenant": "deep", "payload": ${nested(63)}}`;
    assert.equal((await herald.inject("POST", "/v1/events", fits)).status, 202);
    assert.equal((await herald.inject("POST", "/v1/events", inString)).status, 202);
  });

  test("numbers a double cannot carry exactly are 400 unrepresentable_number; none is altered", async () => {
    for (const n of [
      "1e400",
      "-1e400",
      "1e-400",
      "9007199254740993",
      "12345678901234567890",
      "-9007199254740992",
    ]) {
      const body = `{"type": "t", "payload": {"amount": ${n}}}`;
      const res = await herald.inject("POST", "/v1/events", body);
      assertError(res, 400, "unrepresentable_number");
      assert.match(res.body.error.message, new RegExp(n.replace(/[-+.]/g, "\\$&")));
    }
    await assertUnchanged();
    // As strings, or within range, they are stored and come back as they were sent.
    const body =
      '{"type": "t", "tenant": "numbers", "payload": {"big": "1e400", "id": "12345678901234567890", "max": 9007199254740991, "huge": 1.5e300, "tiny": 5e-324, "price": 0.1}}';
    const res = await herald.inject("POST", "/v1/events", body);
    assert.equal(res.status, 202, JSON.stringify(res.body));
    const got = await herald.inject("GET", `/v1/events/${res.body.id}?tenant=numbers`);
    assert.deepEqual(got.body.payload, {
      big: "1e400",
      id: "12345678901234567890",
      max: 9007199254740991,
      huge: 1.5e300,
      tiny: 5e-324,
      price: 0.1,
    });
  });

  test("unknown ids are 404 with a *_not_found code", async () => {
    assertError(await herald.inject("GET", "/v1/endpoints/ep_nope"), 404, "endpoint_not_found");
    assertError(
      await herald.inject("PATCH", "/v1/endpoints/ep_nope", { description: "x" }),
      404,
      "endpoint_not_found",
    );
    assertError(await herald.inject("DELETE", "/v1/endpoints/ep_nope"), 404, "endpoint_not_found");
    assertError(await herald.inject("GET", "/v1/events/evt_nope"), 404, "event_not_found");
    assertError(
      await herald.inject("GET", "/v1/events/evt_nope?tenant=bad"),
      404,
      "event_not_found",
    );
    assertError(await herald.inject("GET", "/v1/deliveries/dlv_nope"), 404, "delivery_not_found");
    assertError(await herald.inject("GET", "/v1/nothing"), 404, "not_found");
    await assertUnchanged();
  });

  test("a deleted endpoint is unknown to GET, PATCH and DELETE", async () => {
    const ep = await herald.inject("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/gone" });
    assert.equal((await herald.inject("DELETE", `/v1/endpoints/${ep.body.id}`)).status, 204);
    snapshot = await state();
    assertError(
      await herald.inject("GET", `/v1/endpoints/${ep.body.id}`),
      404,
      "endpoint_not_found",
    );
    assertError(
      await herald.inject("PATCH", `/v1/endpoints/${ep.body.id}`, { enabled: true }),
      404,
      "endpoint_not_found",
    );
    assertError(
      await herald.inject("DELETE", `/v1/endpoints/${ep.body.id}`),
      404,
      "endpoint_not_found",
    );
    await assertUnchanged();
  });

  test("a bad endpoint secret is 400", async () => {
    const secrets = [
      "",
      "nope",
      "whsec_",
      "whsec_not*base64",
      `whsec_${Buffer.alloc(16, 1).toString("base64")}`,
      `whsec_${Buffer.alloc(65, 1).toString("base64")}`,
      Buffer.alloc(32, 1).toString("base64"),
    ];
    for (const secret of secrets) {
      assertError(
        await herald.inject("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/h", secret }),
        400,
        "invalid_request",
      );
    }
    assertError(
      await herald.inject("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/h", secret: 5 }),
      400,
      "invalid_request",
    );
    await assertUnchanged();
  });

  test("invalid paging and filter parameters are 400", async () => {
    for (const path of [
      "/v1/events?limit=abc",
      "/v1/events?limit=-1",
      "/v1/events?limit=1.5",
      "/v1/events?cursor=abc",
      "/v1/events?cursor=99999999999999999999",
      "/v1/events?cursor=9999999999999999999",
      "/v1/events?colour=red",
      "/v1/endpoints?limit=abc",
      "/v1/endpoints?tenant=",
      "/v1/deliveries?limit=abc",
      "/v1/deliveries?status=lost",
      "/v1/events/x?colour=red",
    ]) {
      assertError(await herald.inject("GET", path), 400, "invalid_request");
    }
    await assertUnchanged();
  });
});
