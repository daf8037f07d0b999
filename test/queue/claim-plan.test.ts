// The claim statement is prepared once per connection with a generic plan (LIMIT and every
// other value a parameter). With the statistics of a big queue, that plan must still read
// deliveries and events through their indexes: once it hash-joined a sequential scan of the
// whole table, and a worker with 1,000,000 pending deliveries managed ~350 a second.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { connect, QUEUE_SESSION } from "../../src/db/connect.ts";
import { claim } from "../../src/queue/claim.ts";
import { migratedDatabase, waitFor } from "../helpers.ts";

const ROWS = 200_000;
let db: Awaited<ReturnType<typeof migratedDatabase>>;

before(async () => {
  db = await migratedDatabase();
  const { sql } = db;
  await sql`
    insert into endpoints (id, url, secret, max_in_flight, last_success_at)
    select 'ep_' || g, 'http://127.0.0.1:9/h', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 1000, now()
    from generate_series(1, 20) g`;
  await sql`
    insert into events (id, type, payload, payload_sha256)
    select 'evt_' || g, 't', '{}', 'x' from generate_series(1, ${ROWS}) g`;
  await sql`
    insert into deliveries (id, event_seq, endpoint_id, next_attempt_at)
    select 'dlv_' || lpad(seq::text, 8, '0'), seq, 'ep_' || (1 + seq % 20),
           now() - interval '1 minute'
    from events`;
  await sql`analyze`;
});
after(() => db?.drop());

async function scans(): Promise<Record<string, { seq: number; idx: number }>> {
  const rows = await db.sql<{ relname: string; seq_scan: string; idx_scan: string }[]>`
    select relname, seq_scan, coalesce(idx_scan, 0) as idx_scan from pg_stat_user_tables
    where relname in ('events', 'deliveries')`;
  return Object.fromEntries(
    rows.map((r) => [r.relname, { seq: Number(r.seq_scan), idx: Number(r.idx_scan) }]),
  );
}

/**
 * Six claims of 128 on a connection of its own, set up as a worker's (generic plans, the
 * queue's session settings), each answered in full; closed after, which publishes its
 * statistics.
 */
async function sixClaims(): Promise<void> {
  const worker = connect(db.url, 1, QUEUE_SESSION);
  try {
    for (let i = 0; i < 6; i++) {
      const rows = await claim(worker, {
        workerId: "w",
        limit: 128,
        leaseMs: 60_000,
        circuitFailures: 5,
        suspectLimit: 128,
        probeLimit: 0,
        holdLimit: 0,
      });
      assert.equal(rows.length, 128);
      await worker`update endpoints set in_flight = 0`;
    }
  } finally {
    await worker.end();
  }
}

test("claims from a big queue read deliveries and events by index only", async () => {
  const before = await scans();
  await sixClaims();
  const after = await waitFor(
    async () => {
      const now = await scans();
      return now.events!.idx > before.events!.idx ? now : undefined;
    },
    5_000,
    "the claims' statistics",
  );
  assert.ok(after.deliveries!.idx > before.deliveries!.idx);
  assert.equal(after.deliveries!.seq, before.deliveries!.seq, "no sequential scan of deliveries");
  assert.equal(after.events!.seq, before.events!.seq, "no sequential scan of events");
});

test("statistics taken while nothing was pending do not make a claim read a whole index", async () => {
  // What a burst looks like to the planner: the last ANALYZE saw no pending delivery (all
  // finished, so gone from the queue to the history).
  await db.sql`delete from deliveries`;
  await db.sql`update endpoints set in_flight = 0`;
  // (and without the dead index entries that delete left: autovacuum's job)
  await db.sql`vacuum analyze deliveries`;
  // Then a burst: 100,000 new pending deliveries, of which the statistics know nothing.
  await db.sql`
    insert into events (id, type, payload, payload_sha256)
    select 'evt_burst_' || g, 't', '{}', 'x' from generate_series(1, 100000) g`;
  await db.sql`
    insert into deliveries (id, event_seq, endpoint_id, next_attempt_at)
    select 'dlv_b' || lpad(seq::text, 8, '0'), seq, 'ep_1',
           now() - interval '1 minute'
    from events where id like 'evt_burst_%'`;
  // Index entries read, all indexes of deliveries together.
  const entriesRead = async () => {
    const [row] = await db.sql<{ n: string }[]>`
      select sum(idx_tup_read) as n from pg_stat_user_indexes where relname = 'deliveries'`;
    return Number(row?.n);
  };
  // Backends publish their statistics at most once a second: let those above arrive first.
  await new Promise((r) => setTimeout(r, 1_500));
  const before = await entriesRead();
  const scansBefore = await scans();
  await sixClaims();
  const read = await waitFor(
    async () => {
      const now = await entriesRead();
      return now > before ? now - before : undefined;
    },
    5_000,
    "the claims' statistics",
  );
  // Each claim reads a window of the due index (4 × its limit), the rows of the claims before
  // it (dead entries until a vacuum) and its own rows by primary key: ~6,000 entries here. A
  // plan steered by the stale statistics read all due rows per claim, by index or by table.
  assert.ok(read <= 20_000, `the claims read ${read} index entries`);
  const scansAfter = await scans();
  assert.equal(scansAfter.deliveries!.seq, scansBefore.deliveries!.seq, "no sequential scan");
});
