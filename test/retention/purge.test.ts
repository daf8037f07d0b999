// Retention: purgeOnce deletes old attempts, finished deliveries and events left without
// deliveries, keeps everything recent or unfinished, works in batches, and runs in one process
// at a time (the others skip the round). Time is injected: rounds run "40 days from now"
// with 30 days of retention, so rows made now are old; rows meant to be recent are moved
// to 39 days from now.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, describe, test } from "node:test";
import pino from "pino";
import type { Context } from "../../src/context.ts";
import { connect } from "../../src/db/connect.ts";
import { Metrics } from "../../src/metrics/metrics.ts";
import { purgeOnce } from "../../src/retention/purge.ts";
import { SecretBox } from "../../src/secrets/box.ts";
import { heraldForSuite, type TestHerald, testConfig, waitFor } from "../helpers.ts";
import { finishDelivery } from "../support/history.ts";

const DAY = 86_400_000;
const LATER = Date.now() + 40 * DAY;
const RECENT = new Date(Date.now() + 39 * DAY);

async function endpoint(herald: TestHerald, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await herald.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/h", ...extra });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.id;
}

/** Sends an event to `endpoints` (none: no delivery); returns its id and its delivery ids. */
async function event(herald: TestHerald, endpoints: string[], tenant = "keep") {
  const res = await herald.api("POST", "/v1/events", {
    type: "t",
    tenant,
    payload: {},
    ...(endpoints.length ? { endpoint_ids: endpoints } : {}),
  });
  assert.equal(res.status, 202, JSON.stringify(res.body));
  const got = await herald.api("GET", `/v1/events/${res.body.id}?tenant=${tenant}`);
  return { id: res.body.id as string, deliveries: got.body.deliveries.map((d: any) => d.id) };
}

describe("retention purge", () => {
  // No worker: delivery states are set by hand. Background rounds far apart: purges here are
  // the ones the tests run.
  const { db, herald } = heraldForSuite({ role: "api", retentionIntervalMs: 2 ** 31 - 1 });
  const sql = () => db.sql;

  async function setDelivery(id: string, status: string, updatedAt?: Date) {
    if (status !== "in_flight") {
      return finishDelivery(sql(), id, status as "succeeded" | "failed" | "cancelled", updatedAt);
    }
    await sql()`update deliveries set status = 'in_flight',
      lease_expires_at = now() + interval '1 hour', worker_id = 'test-worker'
      where id = ${id}`;
  }

  async function addAttempt(deliveryId: string, startedAt?: Date) {
    await sql()`insert into attempts (delivery_id, endpoint_id, number, started_at, duration_ms)
      select id, endpoint_id, 1, ${startedAt ?? new Date()}, 5 from all_deliveries where id = ${deliveryId}`;
  }

  const exists = async (table: string, column: string, value: string) => {
    const rows = await sql()`select 1 from ${sql()(table)} where ${sql()(column)} = ${value}`;
    return rows.length > 0;
  };

  test("old finished rows go; recent, pending and in-flight ones and their events stay", async () => {
    const ep = await endpoint(herald, { tenant: "keep" });
    const ep2 = await endpoint(herald, { tenant: "keep" });

    // Old and finished: event, deliveries (each terminal status) and attempts all go.
    const done = [];
    for (const status of ["succeeded", "failed", "cancelled", "succeeded", "failed"]) {
      const e = await event(herald, [ep]);
      await setDelivery(e.deliveries[0], status);
      await addAttempt(e.deliveries[0]);
      done.push(e);
    }
    // Old, no delivery at all (no endpoint subscribed): goes.
    const orphan = await event(herald, [], "nobody");
    // Old but a delivery is pending / in flight: event and delivery stay; its old attempt goes.
    const pending = await event(herald, [ep]);
    await addAttempt(pending.deliveries[0]);
    const inFlight = await event(herald, [ep]);
    await setDelivery(inFlight.deliveries[0], "in_flight");
    // Old event, one delivery failed long ago (goes), one still pending (stays, with the event).
    const mixed = await event(herald, [ep, ep2]);
    await setDelivery(mixed.deliveries[0], "failed");
    // Old event whose delivery finished recently (a retry, say): both stay.
    const retried = await event(herald, [ep]);
    await setDelivery(retried.deliveries[0], "succeeded", RECENT);
    // Recent event with a recent finished delivery and attempt: all stay. Made last, so the
    // events' creation times follow their seq as they do in real life.
    const recent = await event(herald, [ep]);
    await setDelivery(recent.deliveries[0], "succeeded", RECENT);
    await addAttempt(recent.deliveries[0], RECENT);
    const recentOrphan = await event(herald, [], "nobody");
    await sql()`update events set created_at = ${RECENT} where id = any(${[recent.id, recentOrphan.id]})`;

    // Small batches, to go through several of each.
    const result = await purgeOnce(herald.ctx, LATER, { batchSize: 2, pauseMs: 0 });
    assert.deepEqual(result, {
      attempts: 6, // five finished deliveries' and the pending one's
      deliveries: 6, // the five finished ones and mixed's failed one
      events: 6, // the five finished events and the orphan
    });

    for (const e of [...done, orphan]) {
      assert.equal(await exists("events", "id", e.id), false, `event ${e.id}`);
    }
    for (const e of done) {
      assert.equal(await exists("all_deliveries", "id", e.deliveries[0]), false);
      assert.equal(await exists("attempts", "delivery_id", e.deliveries[0]), false);
    }
    for (const e of [pending, inFlight, mixed, retried, recent, recentOrphan]) {
      assert.equal(await exists("events", "id", e.id), true, `event ${e.id}`);
    }
    for (const d of [
      pending.deliveries[0],
      inFlight.deliveries[0],
      mixed.deliveries[1],
      retried.deliveries[0],
      recent.deliveries[0],
    ]) {
      assert.equal(await exists("all_deliveries", "id", d), true, `delivery ${d}`);
    }
    assert.equal(await exists("all_deliveries", "id", mixed.deliveries[0]), false);
    assert.equal(await exists("attempts", "delivery_id", pending.deliveries[0]), false);
    assert.equal(await exists("attempts", "delivery_id", recent.deliveries[0]), true);

    // The same round at the real time deletes nothing: nothing is 30 days old.
    assert.deepEqual(await purgeOnce(herald.ctx, Date.now(), { pauseMs: 0 }), {
      attempts: 0,
      deliveries: 0,
      events: 0,
    });
    // And a second round at the same time finds nothing left to do.
    assert.deepEqual(await purgeOnce(herald.ctx, LATER, { pauseMs: 0 }), {
      attempts: 0,
      deliveries: 0,
      events: 0,
    });
    // Rows dated in the future were for this test only: later events must follow seq order.
    await sql()`delete from events where created_at > now()`;
  });

  test("a delivery re-queued by hand is no longer finished and is kept", async () => {
    const ep = await endpoint(herald, { tenant: "requeued" });
    const e = await event(herald, [ep], "requeued");
    await setDelivery(e.deliveries[0], "failed");
    const res = await herald.api("POST", `/v1/deliveries/${e.deliveries[0]}/retry`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await purgeOnce(herald.ctx, LATER, { pauseMs: 0 });
    assert.equal(await exists("all_deliveries", "id", e.deliveries[0]), true);
    assert.equal(await exists("events", "id", e.id), true);
  });

  describe("concurrency", () => {
    const contexts: Context[] = [];

    before(() => {
      for (let i = 0; i < 3; i++) {
        contexts.push({
          config: testConfig(db.url),
          metrics: new Metrics({ config: testConfig(db.url), log: pino({ level: "silent" }) }),
          sql: connect(db.url, 3),
          log: pino({ level: "silent" }),
          secrets: new SecretBox(randomBytes(32)),
          now: Date.now,
        });
      }
    });
    after(async () => {
      for (const c of contexts) await c.sql.end({ timeout: 1 });
    });

    async function oldFinished(n: number, tenant: string) {
      const ep = await endpoint(herald, { tenant });
      for (let i = 0; i < n; i++) {
        const e = await event(herald, [ep], tenant);
        await setDelivery(e.deliveries[0], "succeeded");
        await addAttempt(e.deliveries[0]);
      }
    }

    const count = async (tenant: string) => {
      const [r] = await sql()`select count(*)::int as n from events where tenant = ${tenant}`;
      return r?.n as number;
    };

    test("while one process purges, the others skip the round; nothing conflicts", async () => {
      await oldFinished(6, "slow");
      const [first, ...others] = contexts as [Context, ...Context[]];
      // One row per batch and a pause after each: the first round lasts a while.
      const slow = purgeOnce(first, LATER, { batchSize: 1, pauseMs: 100 });
      await waitFor(async () => {
        const [r] = await sql()`select count(*)::int as n from pg_locks
          where locktype = 'advisory' and granted and objid = ${0x48525431}
            and database = (select oid from pg_database where datname = current_database())`;
        return r?.n === 1;
      });
      const skipped = await Promise.all(others.map((c) => purgeOnce(c, LATER, { pauseMs: 0 })));
      assert.deepEqual(skipped, [null, null]);
      assert.deepEqual(await slow, { attempts: 6, deliveries: 6, events: 6 });
      assert.equal(await count("slow"), 0);
    });

    test("purges started at once all finish without error and delete each row once", async () => {
      await oldFinished(20, "race");
      const results = await Promise.all(
        contexts.map((c) => purgeOnce(c, LATER, { batchSize: 3, pauseMs: 1 })),
      );
      const ran = results.filter((r) => r !== null);
      assert.ok(ran.length >= 1);
      const total = { attempts: 0, deliveries: 0, events: 0 };
      for (const r of ran) {
        total.attempts += r.attempts;
        total.deliveries += r.deliveries;
        total.events += r.events;
      }
      assert.deepEqual(total, { attempts: 20, deliveries: 20, events: 20 });
      assert.equal(await count("race"), 0);
    });
  });
});

describe("retention background job", () => {
  const { db, herald } = heraldForSuite({ role: "api", retentionIntervalMs: 50 });

  test("started with Herald, it purges old rows every interval", async () => {
    const res = await herald.api("POST", "/v1/events", { type: "t", tenant: "bg", payload: {} });
    assert.equal(res.status, 202);
    const ep = await endpoint(herald, { tenant: "bg2" });
    const e = await event(herald, [ep], "bg2");
    await db.sql`insert into attempts (delivery_id, endpoint_id, number, started_at, duration_ms)
      values (${e.deliveries[0]}, ${ep}, 1, now() - interval '31 days', 5)`;
    await db.sql`update events set created_at = now() - interval '31 days' where tenant = 'bg'`;
    await waitFor(
      async () => {
        const [r] = await db.sql`select (select count(*) from events where tenant = 'bg') +
          (select count(*) from attempts) as n`;
        return Number(r?.n) === 0;
      },
      5_000,
      "the background purge",
    );
    // The event with a pending delivery stays.
    const [kept] = await db.sql`select count(*)::int as n from events where tenant = 'bg2'`;
    assert.equal(kept?.n, 1);
  });
});
