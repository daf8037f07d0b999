// herald.send_event(): an event enqueued inside the platform's own transaction commits or rolls
// back with it; a commit wakes the workers (their poll is a minute here) and the event is
// delivered once; the platform's role needs no privileges on Herald's tables; the fan-out is
// the one POST /v1/events makes.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import postgres from "postgres";
import { asSuperuser, heraldForSuite, waitFor } from "../helpers.ts";
import { startReceiver } from "../support/receiver.ts";

describe("herald.send_event in the platform's transaction", () => {
  const { db, herald, receiver } = heraldForSuite({ role: "all", pollIntervalMs: 60_000 }, () =>
    startReceiver(),
  );

  async function endpoint(body: Record<string, unknown>): Promise<string> {
    const res = await herald.api("POST", "/v1/endpoints", { url: `${receiver.url}/tx`, ...body });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body.id;
  }

  test("rolled back with the business write: nothing stored, nothing sent; committed: delivered once, at once", async () => {
    await endpoint({ tenant: "shop", event_types: ["payment.*"] });
    await db.sql`create table payments (id text primary key, amount int)`;
    await db.sql
      .begin(async (tx) => {
        await tx`insert into payments values ('pay_rolled', 1)`;
        const [made] =
          await tx`select herald.send_event('evt_rolled', 'payment.succeeded', 'shop', '{"id":"pay_rolled"}') as n`;
        assert.equal(made?.n, 1);
        await tx`select 1/0`; // the platform's write fails after the send: all of it goes
      })
      .catch(() => {});
    const started = Date.now();
    await db.sql.begin(async (tx) => {
      await tx`insert into payments values ('pay_1', 4200)`;
      await tx`select herald.send_event('evt_tx_1', 'payment.succeeded', 'shop', '{"id":"pay_1", "amount": 4200}')`;
    });
    const [got] = await waitFor(() => {
      const r = receiver.requests("/tx");
      return r.length ? r : undefined;
    }, 10_000);
    assert.ok(Date.now() - started < 5_000, "woken by the commit, not by the minute's poll");
    assert.equal(got?.headers["webhook-id"], "evt_tx_1");
    assert.equal(
      String(got?.body),
      '{"id":"pay_1", "amount": 4200}',
      "the payload as given, byte for byte",
    );
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(receiver.requests("/tx").length, 1, "once, and never the rolled-back one");
    const events = await db.sql`select id from events where id in ('evt_rolled', 'evt_tx_1')`;
    assert.deepEqual(
      events.map((e) => e.id),
      ["evt_tx_1"],
    );
    const payments = await db.sql`select id from payments order by id`;
    assert.deepEqual(
      payments.map((p) => p.id),
      ["pay_1"],
    );
  });

  test("the same id and payload is a duplicate (0); another payload aborts the caller's transaction", async () => {
    const send = (payload: string) =>
      db.sql`select herald.send_event('evt_tx_dup', 'order.created', 'shop', ${payload}) as n`;
    const [first] = await send('{"n":1}');
    const [again] = await send('{"n":1}');
    assert.equal(again?.n, 0);
    assert.equal(typeof first?.n, "number");
    await assert.rejects(
      db.sql.begin(async (tx) => {
        await tx`insert into payments values ('pay_conflict', 1)`;
        await tx`select herald.send_event('evt_tx_dup', 'order.created', 'shop', '{"n":2}')`;
      }),
      (err: { code?: string; message?: string }) =>
        err.code === "23505" && /different payload/.test(err.message ?? ""),
    );
    const [kept] = await db.sql`select count(*)::int as n from payments where id = 'pay_conflict'`;
    assert.equal(kept?.n, 0);
    const [stored] = await db.sql`select payload from events where id = 'evt_tx_dup'`;
    assert.equal(stored?.payload, '{"n":1}');
  });

  test("bad arguments raise and store nothing; a jsonb payload is taken too", async () => {
    const before = await db.sql`select count(*)::int as n from events`;
    for (const [args, code] of [
      [db.sql`'', 't', null, '{}'`, "22023"],
      [db.sql`'evt_bad', '', null, '{}'`, "22023"],
      [db.sql`'evt_bad', 't', '', '{}'`, "22023"],
      [db.sql`'evt_bad', 't', null, 'not json'`, "22P02"],
      [db.sql`'evt_bad', 't', null, null::text`, "22023"],
      [db.sql`${"x".repeat(256)}, 't', null, '{}'`, "22023"],
    ] as const) {
      await assert.rejects(
        db.sql`select herald.send_event(${args})`,
        (err: { code?: string }) => err.code === code,
      );
    }
    const after = await db.sql`select count(*)::int as n from events`;
    assert.equal(after[0]?.n, before[0]?.n);
    await db.sql`select herald.send_event('evt_jsonb', 't', null, '{"b": 1, "a": 2}'::jsonb)`;
    const [row] = await db.sql`select payload from events where id = 'evt_jsonb'`;
    assert.deepEqual(JSON.parse(row?.payload), { a: 2, b: 1 });
  });

  test("a platform role with no privileges on Herald's tables can send, and read nothing", async () => {
    const admin = postgres(asSuperuser(db.url), { max: 1, onnotice: () => {} });
    const role = `platform_${randomBytes(4).toString("hex")}`;
    const password = randomBytes(12).toString("hex");
    try {
      await admin.unsafe(`create role ${role} login password '${password}'`);
      const url = new URL(db.url);
      url.username = role;
      url.password = password;
      const platform = postgres(url.toString(), { max: 1, onnotice: () => {} });
      try {
        const [made] =
          await platform`select herald.send_event('evt_from_platform', 'order.created', 'shop', '{}') as n`;
        assert.equal(typeof made?.n, "number");
        await assert.rejects(platform`select * from events`, /permission denied/);
        await assert.rejects(platform`delete from deliveries`, /permission denied/);
      } finally {
        await platform.end();
      }
    } finally {
      await admin.unsafe(`drop owned by ${role}; drop role ${role}`).catch(() => {});
      await admin.end();
    }
  });

  test("it fans out exactly as POST /v1/events does", async () => {
    const t = "fan";
    const ids = [
      await endpoint({ tenant: t }),
      await endpoint({ tenant: t, event_types: ["a.b"] }),
      await endpoint({ tenant: t, event_types: ["a.*"] }),
      await endpoint({ tenant: t, event_types: ["c.d", "a.b.*"] }),
      await endpoint({ tenant: "other" }),
      await endpoint({ event_types: ["a.b"] }),
    ];
    const deleted = await endpoint({ tenant: t });
    assert.equal((await herald.api("DELETE", `/v1/endpoints/${deleted}`)).status, 204);
    const targetsOf = async (id: string, tenant: string) =>
      (
        await db.sql<{ endpoint_id: string }[]>`
          select d.endpoint_id from all_deliveries d join events e on e.seq = d.event_seq
          where e.id = ${id} and e.tenant = ${tenant} order by d.endpoint_id`
      ).map((r) => r.endpoint_id);
    for (const type of ["a.b", "a.b.c", "a", "c.d", "x"]) {
      const viaApi = await herald.api("POST", "/v1/events", {
        id: `api_${type}`,
        type,
        tenant: t,
        payload: {},
      });
      assert.equal(viaApi.status, 202);
      await db.sql`select herald.send_event(${`sql_${type}`}, ${type}, ${t}, '{}')`;
      const api = await targetsOf(`api_${type}`, t);
      assert.deepEqual(await targetsOf(`sql_${type}`, t), api, type);
      assert.ok(api.every((id) => ids.includes(id)));
    }
  });
});
