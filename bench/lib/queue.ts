// The bench's own SQL: emptying the queue between rounds, waiting until a round's deliveries
// are recorded as succeeded, and the table statistics the aged-queue phase reports.
import { randomBytes } from "node:crypto";
import pino from "pino";
import { loadConfig } from "../../src/config.ts";
import type { Context } from "../../src/context.ts";
import { connect, type Sql } from "../../src/db/connect.ts";
import { Metrics } from "../../src/metrics/metrics.ts";
import { type PurgeResult, purgeOnce } from "../../src/retention/purge.ts";
import { SecretBox } from "../../src/secrets/box.ts";
import { round } from "./stats.ts";

/**
 * Empties events, deliveries (queued and finished) and attempts (endpoints stay), so a round starts from fresh
 * tables. Named one by one: deliveries no longer reference events (migration 005), so a
 * cascade from events alone would leave them. Only while no Herald process runs: TRUNCATE
 * waits for every other lock.
 */
export async function emptyQueue(sql: Sql): Promise<void> {
  await sql`truncate attempts, deliveries, delivery_history, events cascade`;
}

export interface StatusCounts {
  succeeded: number;
  /** pending or in_flight */
  open: number;
  other: number;
}

export async function statusCounts(sql: Sql): Promise<StatusCounts> {
  const [row] = await sql<StatusCounts[]>`
    select count(*) filter (where status = 'succeeded')::int as succeeded,
           count(*) filter (where status in ('pending', 'in_flight'))::int as open,
           count(*) filter (where status not in ('succeeded', 'pending', 'in_flight'))::int as other
    from all_deliveries`;
  return row as StatusCounts;
}

/**
 * Waits until `succeeded` deliveries are recorded as such and none is pending or in flight
 * (the receiver saw the last request before its worker recorded the outcome). Throws when the
 * counts stay unchanged for `stallMs`, or when more than `succeeded` succeeded.
 */
export async function untilSucceeded(
  sql: Sql,
  succeeded: number,
  stallMs = 30_000,
): Promise<StatusCounts> {
  let last = "";
  let changedAt = performance.now();
  for (;;) {
    const counts = await statusCounts(sql);
    if (counts.succeeded > succeeded) {
      throw new Error(`expected ${succeeded} succeeded deliveries, got ${JSON.stringify(counts)}`);
    }
    if (counts.succeeded === succeeded && counts.open === 0) return counts;
    const now = performance.now();
    if (JSON.stringify(counts) !== last) {
      last = JSON.stringify(counts);
      changedAt = now;
    } else if (now - changedAt > stallMs) {
      throw new Error(`waiting for ${succeeded} succeeded deliveries, stuck at ${last}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface TableStats {
  table: string;
  live_rows: number;
  dead_rows: number;
  autovacuums: number;
  last_autovacuum: string | null;
  autoanalyzes: number;
  last_autoanalyze: string | null;
}

/** pg_stat_user_tables for the queue's tables (statistics lag a second or so behind). */
export async function tableStats(sql: Sql): Promise<TableStats[]> {
  return sql<TableStats[]>`
    select coalesce(p.relname, c.relname) as table, sum(t.n_live_tup)::int as live_rows,
           sum(t.n_dead_tup)::int as dead_rows, sum(t.autovacuum_count)::int as autovacuums,
           max(t.last_autovacuum)::text as last_autovacuum,
           sum(t.autoanalyze_count)::int as autoanalyzes, max(t.last_autoanalyze)::text as last_autoanalyze
    from pg_stat_user_tables t join pg_class c on c.oid = t.relid
    left join pg_inherits i on i.inhrelid = c.oid left join pg_class p on p.oid = i.inhparent
    where coalesce(p.relname, c.relname) in ('events', 'deliveries', 'delivery_history', 'attempts')
    group by 1
    order by 1`;
}

export interface ServerFacts {
  version: string;
  shared_buffers: string;
  synchronous_commit: string;
}

export async function serverFacts(sql: Sql): Promise<ServerFacts> {
  const [row] = await sql<ServerFacts[]>`
    select current_setting('server_version') as version,
           current_setting('shared_buffers') as shared_buffers,
           current_setting('synchronous_commit') as synchronous_commit`;
  return row as ServerFacts;
}

/**
 * One retention round (30 days) as of 31 days from now, so everything finished goes: batches
 * of 10,000, no pause. Its own connections, closed after it: a backend reports its table
 * statistics when it exits (otherwise only after ~10 s idle), so statistics read next include
 * the purge's. Returns what it removed and how long it took.
 */
export async function purgeEverythingFinished(
  databaseUrl: string,
): Promise<{ purged: PurgeResult; seconds: number }> {
  const sql = connect(databaseUrl, 2);
  const config = { ...loadConfig({}), retentionDays: 30 };
  const ctx: Context = {
    config,
    sql,
    metrics: new Metrics({ config, log: pino({ level: "warn" }) }),
    log: pino({ level: "warn" }),
    secrets: new SecretBox(randomBytes(32)),
    now: Date.now,
  };
  const t0 = performance.now();
  const purged = await purgeOnce(ctx, Date.now() + 31 * 86_400_000, {
    batchSize: 10_000,
    pauseMs: 0,
  }).finally(() => sql.end());
  if (!purged) throw new Error("another process held the retention round lock");
  return { purged, seconds: round((performance.now() - t0) / 1000) };
}
