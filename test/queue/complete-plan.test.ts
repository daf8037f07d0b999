// Completions, like claims, run on generic plans made from the statistics of the moment. When
// those said deliveries was small, the plan joined on the batch alone scanned the whole
// primary-key index for this worker's rows on every batch: in the mixed bench, ~7,000 rows
// read per completion after 3 s of load, more each second. The batch's ids are now the index
// condition; the plan is checked, and what it reads once the table has grown.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import postgres from "postgres";
import { loadConfig } from "../../src/config.ts";
import { QUEUE_SESSION } from "../../src/db/connect.ts";
import { breakerInput, breakerOutcome } from "../../src/endpoints/breaker.ts";
import { type Completion, complete } from "../../src/queue/complete.ts";
import { asSuperuser, migratedDatabase, waitFor } from "../helpers.ts";

const FINISHED = 50_000;
const BATCH = 20;
/** Batches recorded while the table is small (the sixth on the generic plan), then after. */
const WARM = 6;
const LATER = 3;
let db: Awaited<ReturnType<typeof migratedDatabase>>;

/**
 * Attempts of worker "w" in flight: deliveries dlv_<from> … dlv_<from + n - 1>, 8 digits, each
 * BATCH of them claimed by one statement (one updated_at). All with one updated_at, the
 * planner (PostgreSQL 18's skip scan) may look the ids up through deliveries_updated, which
 * only a table of one timestamp makes cheap.
 */
async function inFlight(from: number, n: number): Promise<void> {
  await db.sql`
    insert into events (id, type, payload, payload_sha256)
    select 'evt_' || g, 't', '{}', 'x' from generate_series(${from}::int, ${from + n - 1}::int) g`;
  await db.sql`
    insert into deliveries (id, event_seq, endpoint_id, status, attempts, worker_id, lease_expires_at,
                            updated_at)
    select 'dlv_' || lpad(g::text, 8, '0'), e.seq, 'ep_1', 'in_flight', 1, 'w',
           now() + interval '1 minute', now() - (g / ${BATCH}) * interval '1 millisecond'
    from generate_series(${from}::int, ${from + n - 1}::int) g join events e on e.id = 'evt_' || g`;
}

/** `n` deliveries already through (in the history), their ids and their events' prefixed with `tag`. */
async function finished(tag: string, n: number): Promise<void> {
  await db.sql`
    insert into events (id, type, payload, payload_sha256)
    select 'evt_' || ${tag} || g, 't', '{}', 'x' from generate_series(1, ${n}::int) g`;
  await db.sql`
    insert into delivery_history (id, event_seq, endpoint_id, status, attempts, next_attempt_at,
                                  created_at, updated_at)
    select 'dlv_' || ${tag} || lpad(seq::text, 8, '0'), seq, 'ep_1', 'succeeded', 1, now(), now(), now()
    from events where id like 'evt_' || ${tag} || '%'`;
}

function batchOf(from: number): Completion[] {
  return Array.from({ length: BATCH }, (_, i) => ({
    id: `dlv_${String(from + i).padStart(8, "0")}`,
    endpointId: "ep_1",
    attempt: 1,
    status: "succeeded",
    nextAttemptAt: null,
    startedAt: Date.now(),
    durationMs: 1,
    statusCode: 200,
    errorKind: null,
    errorMessage: null,
    responseBody: null,
  }));
}

before(async () => {
  db = await migratedDatabase();
  // No autovacuum: nothing refreshes the statistics (or the plans made from them) meanwhile.
  await db.sql`alter table deliveries set (autovacuum_enabled = false)`;
  await db.sql`
    insert into endpoints (id, url, secret, max_in_flight, in_flight, last_success_at)
    values ('ep_1', 'http://127.0.0.1:9/h', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 1000,
            ${(WARM + LATER) * BATCH}, now())`;
  await inFlight(1, WARM * BATCH);
  await finished("s", 300);
  // The statistics of a small queue.
  await db.sql`analyze deliveries`;
});
after(() => db?.drop());

test("completions find their rows by primary key after the table has grown", async () => {
  const entriesRead = async () => {
    const [row] = await db.sql<{ n: string }[]>`
      select sum(idx_tup_read) as n from pg_stat_user_indexes where relname = 'deliveries'`;
    return Number(row?.n);
  };
  const policy = loadConfig({});
  // A worker's session; the generic plan from the first batch on (PostgreSQL moves to it after
  // five executions when it looks no dearer, which depends on the batch sizes).
  // auto_explain sends each statement's plan as a notice: the last batch's is checked below.
  const plans: string[] = [];
  // Loading auto_explain needs a superuser (Herald's own role is none).
  const worker = postgres(asSuperuser(db.url), {
    max: 1,
    connection: {
      ...QUEUE_SESSION,
      plan_cache_mode: "force_generic_plan",
      "auto_explain.log_min_duration": "0",
      "auto_explain.log_level": "notice",
    },
    onnotice: (n) => plans.push(String(n.message)),
  });
  await worker`load 'auto_explain'`;
  const record = (batch: Completion[]) =>
    complete(worker, {
      workerId: "w",
      batch,
      breaker: breakerInput(batch.map(breakerOutcome)),
      policy,
    });
  try {
    // A fresh install: the plan is made while the table holds a few rows.
    for (let b = 0; b < WARM; b++) await record(batchOf(1 + b * BATCH));
    // Then the queue carries traffic: finished deliveries pile up, more attempts are in flight.
    const later = 1 + WARM * BATCH;
    await inFlight(later, LATER * BATCH);
    await finished("f", FINISHED);
    // Backends publish their statistics at most once a second: let the inserts' arrive first.
    await new Promise((r) => setTimeout(r, 1_500));
    const before = await entriesRead();
    for (let b = 0; b < LATER; b++) await record(batchOf(later + b * BATCH));
    const [left] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from deliveries where status = 'in_flight'`;
    assert.equal(left?.n, 0, "every batch was recorded");
    const read = await waitFor(
      async () => {
        const now = await entriesRead();
        return now > before ? now - before : undefined;
      },
      5_000,
      "the completions' statistics",
    );
    // 60 rows by primary key; a scan of the primary key for the worker's rows reads 50,000 per batch.
    assert.ok(read <= 2_000, `the completions read ${read} index entries of deliveries`);
    // The plan itself: the batch's ids are the index condition, whatever the estimates.
    const plan = plans.filter((p) => p.includes("Delete on deliveries")).at(-1) ?? "";
    // (The primary key, or with one endpoint in the table PostgreSQL 18's skip scan of
    // deliveries_endpoint, which costs the same: a descent per id either way.)
    assert.match(
      plan,
      /Index Scan using (deliveries_pkey|deliveries_endpoint) on deliveries d_1[^\n]*\n\s*Index Cond: \(id = ANY/,
    );
  } finally {
    await worker.end();
  }
});
