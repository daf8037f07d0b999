// GET /v1/stats/overview: the dashboard's numbers. They match the tables exactly while the
// tables are small; with hundreds of thousands of rows they stay fast, read no table from end
// to end (the attempts table never beyond its 15-minute window) and say which are estimates.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { API_KEY, heraldForSuite } from "../helpers.ts";

describe("overview numbers", () => {
  const { db, herald } = heraldForSuite({ role: "api", retentionIntervalMs: 86_400_000 });
  let endpointId: string;

  before(async () => {
    const ep = await herald.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/h" });
    assert.equal(ep.status, 201);
    endpointId = ep.body.id;
    const { sql } = db;
    // 5 events of an hour ago (written first: seq grows with time), then 12 of now.
    await sql`
      insert into events (id, type, payload, payload_sha256, created_at)
      select 'old-' || g, 't', '{}', 'x', now() - interval '1 hour' from generate_series(1, 5) g`;
    await sql`
      insert into events (id, type, payload, payload_sha256)
      select 'new-' || g, 't', '{}', 'x' from generate_series(1, 12) g`;
    // One delivery per event, in every state the overview tells apart: the queued ones in the
    // queue, the finished ones in the history, where a completion moves them.
    await sql`
      with s(event_id, status, attempts, due_in) as (values
        ('old-1', 'succeeded', 1, 0), ('old-2', 'succeeded', 1, 0), ('old-3', 'succeeded', 1, 0),
        ('old-4', 'succeeded', 1, 0), ('old-5', 'succeeded', 1, 0),
        ('new-1', 'succeeded', 1, 0), ('new-2', 'succeeded', 2, 0), ('new-3', 'succeeded', 1, 0),
        ('new-4', 'failed', 3, 0), ('new-5', 'failed', 3, 0),
        ('new-6', 'pending', 0, -30), ('new-7', 'pending', 0, -5),
        ('new-8', 'pending', 2, 3600), ('new-9', 'pending', 1, -10),
        ('new-10', 'in_flight', 1, 0), ('new-11', 'in_flight', 1, 0),
        ('new-12', 'cancelled', 0, 0)
      ),
      rows as (
        select 'dlv-' || e.id as id, e.seq, s.status, s.attempts,
               now() + s.due_in * interval '1 second' as due
        from events e join s on s.event_id = e.id
      ),
      queued as (
        insert into deliveries (id, event_seq, endpoint_id, status, attempts, next_attempt_at,
                                lease_expires_at, worker_id)
        select id, seq, ${endpointId}, status, attempts, due,
               case when status = 'in_flight' then now() + interval '1 minute' end,
               case when status = 'in_flight' then 'test-worker' end
        from rows where status in ('pending', 'in_flight')
      )
      insert into delivery_history (id, event_seq, endpoint_id, status, attempts, next_attempt_at,
                                    created_at, updated_at)
      select id, seq, ${endpointId}, status, attempts, due, now(), now()
      from rows where status not in ('pending', 'in_flight')`;
    // Attempts: 4 ok and 3 failed two minutes ago, 2 ok 20 s ago; 5 ok 20 minutes ago (outside).
    await sql`
      insert into attempts (delivery_id, endpoint_id, number, started_at, duration_ms, status_code, error_kind)
      select 'dlv-new-1', ${endpointId}, 1, now() + a.at * interval '1 second', 5, a.code, a.kind
      from (values
        (-120, 200, null), (-120, 200, null), (-120, 200, null), (-120, 200, null),
        (-120, 500, 'http_error'), (-120, 500, 'http_error'), (-120, null, 'timeout'),
        (-20, 200, null), (-20, 200, null),
        (-1200, 200, null), (-1200, 200, null), (-1200, 200, null), (-1200, 200, null), (-1200, 200, null)
      ) as a(at, code, kind)`;
  });

  test("the numbers match the tables' contents", async () => {
    const res = await herald.api("GET", "/v1/stats/overview");
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const o = res.body;
    assert.deepEqual(o.events, { accepted: 17, last_15m: 12, estimated: false });
    assert.deepEqual(o.deliveries, {
      pending: 2,
      retrying: 2,
      in_flight: 2,
      succeeded: 8,
      failed: 2,
      cancelled: 1,
      estimated: false,
    });
    assert.equal(o.queue.depth, 3);
    assert.equal(o.queue.estimated, false);
    assert.ok(
      o.queue.oldest_pending_age_seconds >= 30 && o.queue.oldest_pending_age_seconds < 40,
      String(o.queue.oldest_pending_age_seconds),
    );
    assert.ok(Math.abs(Date.parse(o.as_of) - Date.now()) < 5_000);

    // The same counts straight from the tables.
    const [truth] = await db.sql`
      select (select count(*)::int from events) as accepted,
             (select count(*)::int from deliveries where status = 'pending' and attempts = 0) as pending,
             (select count(*)::int from deliveries where status = 'pending' and attempts > 0) as retrying,
             (select count(*)::int from delivery_history where status = 'succeeded') as succeeded,
             (select count(*)::int from deliveries where status = 'pending' and next_attempt_at <= now()) as depth`;
    assert.equal(o.events.accepted, truth!.accepted);
    assert.equal(o.deliveries.pending, truth!.pending);
    assert.equal(o.deliveries.retrying, truth!.retrying);
    assert.equal(o.deliveries.succeeded, truth!.succeeded);
    assert.equal(o.queue.depth, truth!.depth);
  });

  test("the attempts series has 90 ten-second buckets of the last 15 minutes, with zeros", async () => {
    const { body: o } = await herald.api("GET", "/v1/stats/overview");
    const s = o.series;
    assert.equal(s.bucket_seconds, 10);
    assert.equal(s.window_seconds, 900);
    assert.equal(s.points.length, 90);
    assert.equal(s.succeeded, 6);
    assert.equal(s.failed, 3);
    const times = s.points.map((p: any) => Date.parse(p.at));
    for (let i = 1; i < times.length; i++) assert.equal(times[i] - times[i - 1], 10_000);
    assert.ok(Date.now() - times.at(-1) < 15_000, "the last bucket is the current one");

    const buckets = await db.sql<{ at: Date; succeeded: number; failed: number }[]>`
      select to_timestamp(floor(extract(epoch from started_at) / 10) * 10) as at,
             count(*) filter (where error_kind is null)::int as succeeded,
             count(*) filter (where error_kind is not null)::int as failed
      from attempts where started_at > now() - interval '5 minutes' group by 1`;
    assert.equal(buckets.length, 2);
    for (const b of buckets) {
      const point = s.points.find((p: any) => p.at === b.at.toISOString());
      assert.deepEqual(point, { at: b.at.toISOString(), succeeded: b.succeeded, failed: b.failed });
    }
    const nonZero = s.points.filter((p: any) => p.succeeded + p.failed > 0);
    assert.equal(nonZero.length, 2);
  });

  test("a later read sees attempts recorded since (recent buckets are read again)", async () => {
    await herald.api("GET", "/v1/stats/overview");
    await db.sql`
      insert into attempts (delivery_id, endpoint_id, number, started_at, duration_ms, status_code, error_kind)
      values ('dlv-new-1', ${endpointId}, 2, now() - interval '15 seconds', 5, 503, 'http_error')`;
    const { body: o } = await herald.api("GET", "/v1/stats/overview");
    assert.equal(o.series.failed, 4);
  });

  test("it needs the API key", async () => {
    const res = await fetch(`${herald.url}/v1/stats/overview`);
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error.code, "unauthorized");
    const ok = await fetch(`${herald.url}/v1/stats/overview`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    assert.equal(ok.status, 200);
    await ok.arrayBuffer();
  });
});

describe("overview numbers on large tables", () => {
  const { db, herald } = heraldForSuite({ role: "api", retentionIntervalMs: 86_400_000 });
  // Over twice the count limit in the history alone (95% of the deliveries).
  const ROWS = 220_000;

  before(async () => {
    const ep = await herald.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/h" });
    const { sql } = db;
    // Events an hour old but the last 1,000, which are of the last 15 minutes.
    await sql`
      insert into events (id, type, payload, payload_sha256, created_at)
      select 'e' || g, 't', '{}', 'x',
             case when g > ${ROWS - 1000} then now() - interval '1 minute' else now() - interval '1 hour' end
      from generate_series(1, ${ROWS}) g`;
    // 90% succeeded, 5% failed, 5% pending (half of them retrying, all due).
    await sql`
      insert into deliveries (id, event_seq, endpoint_id, status, attempts, next_attempt_at)
      select 'd' || seq, seq, ${ep.body.id}, 'pending', case when seq % 40 = 1 then 0 else 1 end,
             now() - interval '1 minute'
      from events where seq % 20 = 1`;
    await sql`
      insert into delivery_history (id, event_seq, endpoint_id, status, attempts, next_attempt_at,
                                    created_at, updated_at)
      select 'd' || seq, seq, ${ep.body.id}, case when seq % 20 = 0 then 'failed' else 'succeeded' end,
             1, now() - interval '1 minute', now() - interval '1 minute', now()
      from events where seq % 20 <> 1`;
    // 100,000 attempts an hour old, 2,000 in the window.
    await sql`
      insert into attempts (delivery_id, endpoint_id, number, started_at, duration_ms, status_code, error_kind)
      select 'd' || (1 + g % ${ROWS}), ${ep.body.id}, 1,
             case when g <= 2000 then now() - interval '3 minutes' else now() - interval '1 hour' end,
             5, 200, case when g % 4 = 0 then 'http_error' end
      from generate_series(1, 102000) g`;
    await sql`analyze events`;
    await sql`analyze deliveries`;
    await sql`analyze delivery_history`;
    await sql`analyze attempts`;
  });

  async function scans() {
    const rows = await db.sql<{ relname: string; seq_scan: string; idx_scan: string }[]>`
      -- Rows read by sequential scans (a partition with no rows may be scanned: it reads none).
      select coalesce(p.relname, c.relname) as relname, sum(t.seq_tup_read) as seq_scan,
             sum(coalesce(t.idx_scan, 0)) as idx_scan
      from pg_stat_user_tables t join pg_class c on c.oid = t.relid
      left join pg_inherits i on i.inhrelid = c.oid left join pg_class p on p.oid = i.inhparent
      where coalesce(p.relname, c.relname) in ('events', 'deliveries', 'delivery_history', 'attempts')
      group by 1`;
    return Object.fromEntries(
      rows.map((r) => [r.relname, { seq: Number(r.seq_scan), idx: Number(r.idx_scan) }]),
    );
  }

  test("stays fast, reads no table from end to end, and flags its estimates", async () => {
    await herald.api("GET", "/v1/stats/overview"); // warm the caches and the series
    // Backends publish their table statistics when idle, at most once a second.
    await new Promise((r) => setTimeout(r, 1_500));
    const before = await scans();

    const res = await herald.api("GET", "/v1/stats/overview");
    assert.equal(res.status, 200);
    const o = res.body;

    // Wait until the index reads of that request are published, then compare scans.
    let after = await scans();
    for (let i = 0; i < 40 && after.attempts!.idx === before.attempts!.idx; i++) {
      await new Promise((r) => setTimeout(r, 250));
      after = await scans();
    }
    assert.ok(after.attempts!.idx > before.attempts!.idx, "the series read attempts by index");
    // (The queue itself, 11,000 pending deliveries, is small enough to be counted exactly.)
    for (const table of ["events", "delivery_history", "attempts"]) {
      assert.equal(after[table]!.seq, before[table]!.seq, `no sequential scan of ${table}'s rows`);
    }

    const near = (value: number, truth: number, what: string) =>
      assert.ok(Math.abs(value - truth) <= truth * 0.1 + 10, `${what}: ${value}, truly ${truth}`);
    assert.equal(o.events.estimated, true);
    near(o.events.accepted, ROWS, "events");
    assert.equal(o.events.last_15m, 1000);
    assert.equal(o.deliveries.estimated, true);
    near(o.deliveries.succeeded, ROWS * 0.9, "succeeded");
    near(o.deliveries.failed, ROWS * 0.05, "failed");
    near(o.deliveries.pending + o.deliveries.retrying, ROWS * 0.05, "pending");
    near(o.deliveries.retrying, ROWS * 0.025, "retrying");
    assert.equal(o.queue.depth, ROWS / 20);
    assert.equal(o.queue.estimated, false);
    assert.equal(o.series.succeeded, 1500);
    assert.equal(o.series.failed, 500);
  });
});
