// retained (only with --aged, or --only retained; long): a queue that has carried many
// deliveries and still keeps them, as a month of retention does. `total` finished deliveries
// (10,000,000) are written straight into the tables, spread over the 29 days before today, then
// a 100,000 backlog is drained by 1 worker and compared with the fresh 1-worker drain; then one
// retention round removes them all (purgeOnce with `now` 31 days ahead), timed, with the WAL
// it wrote. Works on the schema before migration 009 too (finished rows in `deliveries`), so
// the same phase measures both designs. Events and attempts of the retained deliveries are not
// written: neither is read by a claim, and the purge of each is its own figure in `aged`.
import type { BenchContext, PhaseResult } from "../lib/context.ts";
import { emptyQueue, purgeEverythingFinished } from "../lib/queue.ts";
import { n, type Row } from "../lib/report.ts";
import { round } from "../lib/stats.ts";
import { drainBacklog, drainRow, freshDrain } from "./drain.ts";

const DAY = 86_400_000;
const DAYS = 29;
const TARGET_RATIO = 0.8;

export async function retainedPhase(ctx: BenchContext): Promise<PhaseResult> {
  const { total } = ctx.sizes.retained;
  const { backlog } = ctx.sizes.drain;
  const { sql } = ctx;
  if (ctx.baseline.drain1?.deliveries !== backlog) {
    console.log("  fresh 1-worker drain (the drain phase did not run):");
    await freshDrain(ctx, 1);
  }
  const fresh = ctx.baseline.drain1 as NonNullable<typeof ctx.baseline.drain1>;
  await emptyQueue(sql);

  const [schema] = await sql<{ history: boolean }[]>`
    select to_regclass('delivery_history') is not null as history`;
  const table = schema?.history ? "delivery_history" : "deliveries";
  if (schema?.history) {
    await sql`select herald_daily_partitions('delivery_history', current_date - ${DAYS}::int, current_date)`;
  }
  const [ep] = await sql<
    { id: string }[]
  >`select id from endpoints where deleted_at is null limit 1`;
  const t0 = performance.now();
  const chunk = 1_000_000;
  for (let from = 0; from < total; from += chunk) {
    // Ids as Herald makes them (time first), finished a few seconds after they were made.
    await sql`
      insert into ${sql(table)} (id, event_seq, endpoint_id, status, attempts, next_attempt_at,
                                 created_at, updated_at)
      select 'dlv_' || lpad(to_hex((extract(epoch from at) * 1000)::bigint), 12, '0')
               || lpad(to_hex(g), 16, '0'),
             -g, ${ep?.id ?? "none"}, case when g % 50 = 0 then 'failed' else 'succeeded' end, 1,
             at, at, at + interval '3 seconds'
      from (select g, now() - ${DAYS * DAY} * interval '1 millisecond'
                   + (g::float8 / ${total}) * ${DAYS * DAY} * interval '1 millisecond' as at
            from generate_series(${from + 1}::int, ${Math.min(from + chunk, total)}::int) g) s`;
    console.log(`  ${n(Math.min(from + chunk, total))} of ${n(total)} finished deliveries written`);
  }
  await sql`vacuum analyze ${sql(table)}`;
  const seedSeconds = round((performance.now() - t0) / 1000);
  const [size] = await sql<{ mb: number }[]>`
    select (pg_total_relation_size('deliveries') / 1048576)::int as mb`;

  // The queue as the retained history leaves it: claims read pending rows only.
  const retainedSucceeded = total - Math.floor(total / 50);
  const drain = await drainBacklog(ctx, 1, backlog, backlog + retainedSucceeded);
  const ratio = round(drain.deliveries_per_s / fresh.deliveries_per_s, 2);
  console.log(
    `  drain beside ${n(total)} retained: ${n(drain.deliveries_per_s)}/s, ×${ratio} of fresh`,
  );

  const [lsn0] = await sql<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
  const { purged, seconds: purgeSeconds } = await purgeEverythingFinished(ctx.databaseUrl);
  const [wal] = await sql<{ mb: number }[]>`
    select round(pg_wal_lsn_diff(pg_current_wal_lsn(), ${lsn0?.lsn ?? "0/0"}::pg_lsn) / 1048576.0, 1)::float8 as mb`;
  console.log(`  retention: ${purgeSeconds} s, ${wal?.mb} MB of WAL:`, purged);

  const rows: Row[] = [
    {
      phase: "retained",
      figure: `${n(total)} finished deliveries kept (${DAYS} days), in ${table}`,
      result: `written in ${seedSeconds} s; the queue table (deliveries) then ${n(size?.mb ?? 0)} MB with its indexes`,
    },
    drainRow("retained", `${n(backlog)} pending beside them, 1 worker`, drain),
    {
      phase: "retained",
      figure: "beside the retained history vs fresh 1-worker drain",
      result: `×${ratio} (${n(drain.deliveries_per_s)} vs ${n(fresh.deliveries_per_s)} deliveries/s)`,
      target: `≥ ${TARGET_RATIO}`,
      met: ratio >= TARGET_RATIO,
    },
    {
      phase: "retained",
      figure: "retention round removing them (purgeOnce, batches of 10,000, no pause)",
      result: `${purgeSeconds} s, ${wal?.mb} MB of WAL: ${n(purged.deliveries)} deliveries`,
    },
  ];
  return {
    data: {
      total,
      table,
      seed_seconds: seedSeconds,
      queue_mb: size?.mb,
      drain,
      fresh,
      ratio,
      purged,
      purge_seconds: purgeSeconds,
      purge_wal_mb: wal?.mb,
    },
    rows,
  };
}
