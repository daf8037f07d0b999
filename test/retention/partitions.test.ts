// Finished deliveries and attempts live in daily partitions (migration 009): retention drops a
// whole day once it is past the cutoff, instead of deleting its rows one by one; rows filed in
// a default partition (their day had none) are deleted in batches; a drop that cannot get its
// lock at once is left for the next round rather than holding up completions behind it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ensurePartitions } from "../../src/queue/index.ts";
import { purgeOnce } from "../../src/retention/purge.ts";
import { heraldForSuite } from "../helpers.ts";
import { finishDelivery } from "../support/history.ts";

const DAY = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll("-", "");

describe("history partitions", () => {
  // No worker: deliveries are finished by hand. Background rounds far apart.
  const { db, herald } = heraldForSuite({ role: "api", retentionIntervalMs: 2 ** 31 - 1 });

  /** A delivery finished at `at` (default now) with one attempt started then. */
  async function finished(tenant: string, at?: Date): Promise<string> {
    const ep = await herald.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/h", tenant });
    assert.equal(ep.status, 201);
    const ev = await herald.api("POST", "/v1/events", {
      type: "t",
      tenant,
      payload: {},
      endpoint_ids: [ep.body.id],
    });
    assert.equal(ev.status, 202);
    const [d] = await db.sql<
      { id: string }[]
    >`select id from deliveries where endpoint_id = ${ep.body.id}`;
    const id = d?.id as string;
    await db.sql`insert into attempts (delivery_id, endpoint_id, number, started_at, duration_ms)
      values (${id}, ${ep.body.id}, 1, ${at ?? new Date()}, 5)`;
    await finishDelivery(db.sql, id, "succeeded", at);
    return id;
  }

  const partitionOf = async (table: string, column: string, id: string) => {
    const [r] = await db.sql<{ part: string }[]>`
      select tableoid::regclass::text as part from ${db.sql(table)} where ${db.sql(column)} = ${id}`;
    return r?.part;
  };
  const oid = async (name: string) => {
    const [r] = await db.sql<{ oid: number | null }[]>`select to_regclass(${name})::oid as oid`;
    return r?.oid ?? null;
  };

  test("a day past the cutoff is dropped whole; the week ahead is made again", async () => {
    const id = await finished("drop");
    const today = utcDay(Date.now());
    assert.equal(await partitionOf("delivery_history", "id", id), `delivery_history_${today}`);
    assert.equal(await partitionOf("attempts", "delivery_id", id), `attempts_${today}`);
    const before = await oid(`delivery_history_${today}`);

    // 40 days on, with 30 of retention: today and the week made ahead are all past.
    const result = await purgeOnce(herald.ctx, Date.now() + 40 * DAY, { pauseMs: 0 });
    assert.deepEqual(result, { attempts: 1, deliveries: 1, events: 1 });
    const [left] = await db.sql<{ n: number }[]>`
      select (select count(*) from all_deliveries) + (select count(*) from attempts) as n`;
    assert.equal(Number(left?.n), 0);
    // Dropped, not emptied: the partition of today is a new table, made by the round's end.
    const after = await oid(`delivery_history_${today}`);
    assert.notEqual(after, null);
    assert.notEqual(after, before);
    for (let d = 0; d <= 7; d++) {
      const day = utcDay(Date.now() + d * DAY);
      assert.notEqual(await oid(`delivery_history_${day}`), null, `history of ${day}`);
      assert.notEqual(await oid(`attempts_${day}`), null, `attempts of ${day}`);
    }
  });

  test("rows in the default partition are purged row by row, recent ones kept", async () => {
    // 45 days ago: no partition of that day, so the default one.
    const old = await finished("default-old", new Date(Date.now() - 45 * DAY));
    assert.equal(await partitionOf("delivery_history", "id", old), "delivery_history_default");
    assert.equal(await partitionOf("attempts", "delivery_id", old), "attempts_default");
    // 20 days ahead (also no partition): within retention.
    const later = await finished("default-new", new Date(Date.now() + 20 * DAY));
    assert.equal(await partitionOf("delivery_history", "id", later), "delivery_history_default");

    const result = await purgeOnce(herald.ctx, Date.now(), { pauseMs: 0, batchSize: 1 });
    // (Its event was made now: it stays, as retention keeps recent events.)
    assert.deepEqual(result, { attempts: 1, deliveries: 1, events: 0 });
    assert.equal(await partitionOf("delivery_history", "id", old), undefined);
    assert.equal(await partitionOf("delivery_history", "id", later), "delivery_history_default");
    // A day whose rows sit in the default partition gets no partition of its own (they stay).
    await ensurePartitions(herald.ctx.sql, 21);
    assert.equal(await oid(`delivery_history_${utcDay(Date.now() + 20 * DAY)}`), null);
    assert.notEqual(await oid(`delivery_history_${utcDay(Date.now() + 21 * DAY)}`), null);
    await db.sql`delete from delivery_history where id = ${later}`;
  });

  test("a drop that would wait for its lock is left for the next round", async () => {
    const id = await finished("locked");
    const part = await partitionOf("delivery_history", "id", id);
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    let locked!: () => void;
    const holding = new Promise<void>((r) => {
      locked = r;
    });
    // A long reader of the history (a dashboard query, say) holds its lock.
    const reader = db.sql.begin(async (tx) => {
      await tx`select count(*) from delivery_history`;
      locked();
      await released;
    });
    await holding;
    try {
      const result = await purgeOnce(herald.ctx, Date.now() + 40 * DAY, { pauseMs: 0 });
      assert.equal(result?.deliveries, 0, "the locked partition stays");
      assert.equal(await partitionOf("delivery_history", "id", id), part);
    } finally {
      release();
      await reader;
    }
    const next = await purgeOnce(herald.ctx, Date.now() + 40 * DAY, { pauseMs: 0 });
    assert.equal(next?.deliveries, 1);
  });
});
