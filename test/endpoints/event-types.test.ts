// The event-type catalogue: admin keys write it (audited), every key reads it, bad input
// changes nothing.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { heraldForSuite } from "../helpers.ts";
import { snapshot } from "../support/snapshot.ts";

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe("event types", () => {
  const { db, herald } = heraldForSuite({ role: "api" });

  async function key(scope: string, tenant?: string): Promise<string> {
    const res = await herald.api("POST", "/v1/api-keys", { name: scope, scope, tenant });
    assert.equal(res.status, 201);
    return res.body.key;
  }

  test("made, read, changed and removed by an admin key; audited", async () => {
    const example = { id: "pay_1", amount: 4200, note: "nul \u0000 kept" };
    const made = await herald.api("POST", "/v1/event-types", {
      name: "payment.succeeded",
      description: "A payment went through.",
      example,
    });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.equal(made.body.name, "payment.succeeded");
    assert.deepEqual(made.body.example, example);
    for (const name of ["payment.refunded", "order.created"]) {
      assert.equal((await herald.api("POST", "/v1/event-types", { name })).status, 201);
    }

    const list = await herald.api("GET", "/v1/event-types?limit=2");
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.body.data.map((t: { name: string }) => t.name),
      ["order.created", "payment.refunded"],
    );
    const next = await herald.api("GET", `/v1/event-types?limit=2&cursor=${list.body.next_cursor}`);
    assert.deepEqual(
      next.body.data.map((t: { name: string }) => t.name),
      ["payment.succeeded"],
    );
    assert.equal(next.body.next_cursor, null);
    const payments = await herald.api("GET", "/v1/event-types?prefix=payment.");
    assert.equal(payments.body.data.length, 2);

    const patched = await herald.api("PATCH", "/v1/event-types/payment.refunded", {
      description: "Money went back.",
      example: { id: "re_1" },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.description, "Money went back.");
    assert.deepEqual(patched.body.example, { id: "re_1" });
    const cleared = await herald.api("PATCH", "/v1/event-types/payment.refunded", {
      example: null,
    });
    assert.equal(cleared.body.example, null);
    assert.equal(cleared.body.description, "Money went back.");

    assert.equal((await herald.api("DELETE", "/v1/event-types/order.created")).status, 204);
    const gone = await herald.api("GET", "/v1/event-types/order.created");
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, "event_type_not_found");

    const audit = await db.sql<{ action: string; subject: string }[]>`
      select action, subject from audit_log where action like 'event_type.%' order by id`;
    assert.deepEqual(
      audit.map((a) => `${a.action} ${a.subject}`),
      [
        "event_type.created payment.succeeded",
        "event_type.created payment.refunded",
        "event_type.created order.created",
        "event_type.updated payment.refunded",
        "event_type.updated payment.refunded",
        "event_type.deleted order.created",
      ],
    );
  });

  test("tenant and read-only keys read the catalogue and cannot change it", async () => {
    const keys = [
      await key("tenant", "acme"),
      await key("tenant:read", "acme"),
      await key("admin:read"),
    ];
    const before = await snapshot(db.sql, ["event_types", "audit_log"]);
    for (const k of keys) {
      const list = await herald.api("GET", "/v1/event-types", undefined, bearer(k));
      assert.equal(list.status, 200);
      assert.ok(list.body.data.length > 0);
      const one = await herald.api(
        "GET",
        "/v1/event-types/payment.succeeded",
        undefined,
        bearer(k),
      );
      assert.equal(one.status, 200);
      for (const [method, path, body] of [
        ["POST", "/v1/event-types", { name: "tenant.made" }],
        ["PATCH", "/v1/event-types/payment.succeeded", { description: "x" }],
        ["DELETE", "/v1/event-types/payment.succeeded", undefined],
      ] as const) {
        const res = await herald.api(method, path, body, bearer(k));
        assert.equal(res.status, 403, `${method} ${path}`);
      }
    }
    assert.deepEqual(await snapshot(db.sql, ["event_types", "audit_log"]), before);
  });

  test("bad input is a 400, 404 or 409 and changes nothing", async () => {
    const before = await snapshot(db.sql, ["event_types", "audit_log"]);
    const cases: [string, string, unknown, number, string][] = [
      ["POST", "/v1/event-types", { name: "payment.succeeded" }, 409, "event_type_exists"],
      ["POST", "/v1/event-types", { name: "payment.*" }, 400, "invalid_request"],
      ["POST", "/v1/event-types", { name: "" }, 400, "invalid_request"],
      ["POST", "/v1/event-types", { name: "x".repeat(256) }, 400, "invalid_request"],
      ["POST", "/v1/event-types", { name: "a", description: 5 }, 400, "invalid_request"],
      ["POST", "/v1/event-types", { name: "a", extra: true }, 400, "invalid_request"],
      ["POST", "/v1/event-types", { description: "no name" }, 400, "invalid_request"],
      ["PATCH", "/v1/event-types/payment.succeeded", {}, 400, "invalid_request"],
      ["PATCH", "/v1/event-types/nope", { description: "x" }, 404, "event_type_not_found"],
      ["DELETE", "/v1/event-types/nope", undefined, 404, "event_type_not_found"],
      ["GET", "/v1/event-types?limit=abc", undefined, 400, "invalid_request"],
    ];
    for (const [method, path, body, status, code] of cases) {
      const res = await herald.api(method, path, body);
      assert.equal(res.status, status, `${method} ${path} ${JSON.stringify(body)}`);
      assert.equal(res.body.error.code, code);
    }
    assert.deepEqual(await snapshot(db.sql, ["event_types", "audit_log"]), before);
  });
});
