// Upgrading a database that has carried traffic to migration 009: finished deliveries move to
// delivery_history (each day's into its partition), queued ones stay, attempts move to the
// partitioned table with their ids, and the upgraded database works for Herald.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { connect, type Sql } from "../../src/db/connect.ts";
import { migrate, migrations } from "../../src/db/migrate.ts";
import { createTestDatabase } from "../helpers.ts";

const DAY = 86_400_000;
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let sql: Sql;

before(async () => {
  db = await createTestDatabase();
  sql = connect(db.url, 2);
  // The schema as Herald 008 left it.
  await sql`create table herald_migrations (
    id int primary key, name text not null, applied_at timestamptz not null default now())`;
  for (const m of migrations.filter((m) => m.id <= 8)) {
    await sql.unsafe(m.sql);
    await sql`insert into herald_migrations (id, name) values (${m.id}, ${m.name})`;
  }
  await sql`insert into endpoints (id, url, secret) values ('ep_1', 'http://127.0.0.1:9/h', 's')`;
  await sql`insert into events (id, type, payload, payload_sha256)
    select 'evt_' || g, 't', '{}', 'x' from generate_series(1, 5) g`;
  // Finished 3 days ago, today, and a cancelled one of 40 days ago; one pending, one in flight.
  const ago = (days: number) => new Date(Date.now() - days * DAY);
  await sql`
    insert into deliveries (id, event_seq, endpoint_id, status, attempts, worker_id,
                            lease_expires_at, updated_at, created_at)
    select 'dlv_' || s.n, e.seq, 'ep_1', s.status, 1,
           case when s.status = 'in_flight' then 'w' end,
           case when s.status = 'in_flight' then now() + interval '1 minute' end,
           s.at, s.at
    from (values (1, 'succeeded', ${ago(3)}::timestamptz), (2, 'failed', ${ago(0)}::timestamptz),
                 (3, 'cancelled', ${ago(40)}::timestamptz), (4, 'pending', ${ago(0)}::timestamptz),
                 (5, 'in_flight', ${ago(0)}::timestamptz)) as s(n, status, at)
    join events e on e.id = 'evt_' || s.n`;
  await sql`
    insert into attempts (delivery_id, endpoint_id, number, started_at, duration_ms, status_code)
    values ('dlv_1', 'ep_1', 1, ${ago(3)}, 5, 200), ('dlv_2', 'ep_1', 1, ${ago(0)}, 5, 500),
           ('dlv_5', 'ep_1', 1, ${ago(0)}, 5, null)`;
});
after(async () => {
  await sql?.end({ timeout: 1 });
  await db?.drop();
});

test("finished deliveries move to the history, attempts to their partitions, nothing lost", async () => {
  const [{ ids: attemptIds }] =
    (await sql`select array_agg(id order by id) as ids from attempts`) as any;
  assert.deepEqual(
    await migrate(sql),
    migrations.filter((m) => m.id > 8).map((m) => m.id),
  );

  const queued = await sql`select id, status from deliveries order by id`;
  assert.deepEqual(
    queued.map((r) => [r.id, r.status]),
    [
      ["dlv_4", "pending"],
      ["dlv_5", "in_flight"],
    ],
  );
  const history = await sql`
    select id, status, tableoid::regclass::text as part from delivery_history order by id`;
  const day = (days: number) =>
    new Date(Date.now() - days * DAY).toISOString().slice(0, 10).replaceAll("-", "");
  assert.deepEqual(
    history.map((r) => [r.id, r.status, r.part]),
    [
      ["dlv_1", "succeeded", `delivery_history_${day(3)}`],
      ["dlv_2", "failed", `delivery_history_${day(0)}`],
      ["dlv_3", "cancelled", `delivery_history_${day(40)}`],
    ],
  );
  const attempts = await sql`
    select id, delivery_id, tableoid::regclass::text as part from attempts order by id`;
  assert.deepEqual(
    attempts.map((a) => a.id),
    attemptIds,
    "attempt ids kept",
  );
  assert.deepEqual(
    attempts.map((a) => [a.delivery_id, a.part]),
    [
      ["dlv_1", `attempts_${day(3)}`],
      ["dlv_2", `attempts_${day(0)}`],
      ["dlv_5", `attempts_${day(0)}`],
    ],
  );
  // New attempts continue the ids.
  const [next] = await sql`
    insert into attempts (delivery_id, endpoint_id, number, started_at, duration_ms)
    values ('dlv_4', 'ep_1', 1, now(), 5) returning id`;
  assert.ok(Number(next?.id) > Math.max(...attemptIds.map(Number)));
  // The old table is gone; the queue refuses finished rows.
  const [old] = await sql`select to_regclass('attempts_old') as t`;
  assert.equal(old?.t, null);
  await assert.rejects(sql`update deliveries set status = 'succeeded' where id = 'dlv_4'`, {
    code: "23514",
  });
});
