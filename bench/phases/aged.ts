// aged (only with --aged; long): does the queue stay fast once much has gone through it?
// 1,000,000 deliveries are pushed through in chunks of 100,000 (seeded, then drained by 2
// workers); then one retention round deletes them all — purgeOnce called directly with `now`
// 31 days ahead, so everything finished is past the default 30 days — and a 100,000 backlog is
// drained by 1 worker and compared with the fresh 1-worker drain. No VACUUM by hand: what
// autovacuum does meanwhile is part of what is measured (dead rows are reported).
import type { Sql } from "../../src/db/connect.ts";
import type { BenchContext, PhaseResult } from "../lib/context.ts";
import { emptyQueue, purgeEverythingFinished, type TableStats, tableStats } from "../lib/queue.ts";
import { memoryRow, n, type Row } from "../lib/report.ts";
import { peakOf } from "../lib/rss.ts";
import { round } from "../lib/stats.ts";
import { drainBacklog, drainRow, freshDrain } from "./drain.ts";

const TARGET_RATIO = 0.8;

/** Table statistics a moment after the writers exited (they report theirs on the way out). */
async function settledTableStats(sql: Sql): Promise<TableStats[]> {
  await new Promise((r) => setTimeout(r, 1_000));
  return tableStats(sql);
}

/**
 * Waits (up to 5 minutes) until no table has more than 10,000 dead rows or 5% of its live
 * ones: the state a queue returns to between bursts when autovacuum keeps up.
 */
async function autovacuumCaughtUp(sql: Sql): Promise<{ seconds: number; stats: TableStats[] }> {
  const t0 = performance.now();
  for (;;) {
    const stats = await tableStats(sql);
    const seconds = round((performance.now() - t0) / 1000);
    const done = stats.every((t) => t.dead_rows <= Math.max(10_000, t.live_rows * 0.05));
    if (done || seconds > 300) return { seconds, stats };
    await new Promise((r) => setTimeout(r, 1_000));
  }
}

/** "attempts 0, deliveries 120,000, events 0 (2 autovacuums)" */
const deadRows = (stats: TableStats[]) => {
  const autovacuums = stats.reduce((sum, t) => sum + t.autovacuums, 0);
  return `${stats.map((t) => `${t.table} ${n(t.dead_rows)}`).join(", ")} (${autovacuums} autovacuums)`;
};

export async function agedPhase(ctx: BenchContext): Promise<PhaseResult> {
  const { total, chunk, workers } = ctx.sizes.aged;
  const { backlog } = ctx.sizes.drain;
  if (ctx.baseline.drain1?.deliveries !== backlog) {
    console.log("  fresh 1-worker drain (the drain phase did not run):");
    await freshDrain(ctx, 1);
  }
  const fresh = ctx.baseline.drain1 as NonNullable<typeof ctx.baseline.drain1>;

  await emptyQueue(ctx.sql);
  const chunks: { seed_s: number; deliveries_per_s: number; worker_peak_mb: number }[] = [];
  const t0 = performance.now();
  for (let done = 0; done < total; ) {
    const size = Math.min(chunk, total - done);
    done += size;
    const d = await drainBacklog(ctx, workers, size, done);
    chunks.push({
      seed_s: d.seed_s,
      deliveries_per_s: d.deliveries_per_s,
      worker_peak_mb: Math.max(...d.memory.map(peakOf)),
    });
    console.log(
      `  ${n(done)} of ${n(total)} through: seeded in ${d.seed_s} s, ${n(d.deliveries_per_s)} deliveries/s`,
    );
  }
  const pushSeconds = round((performance.now() - t0) / 1000);

  const beforePurge = await settledTableStats(ctx.sql);
  const { purged, seconds: purgeSeconds } = await purgeEverythingFinished(ctx.databaseUrl);
  const afterPurge = await settledTableStats(ctx.sql);
  console.log(`  purged in ${purgeSeconds} s:`, purged, `dead rows now ${deadRows(afterPurge)}`);

  // The tables as the purge left them (not emptied): that is the point.
  const aged = await drainBacklog(ctx, 1, backlog);
  const afterDrain = await settledTableStats(ctx.sql);
  const ratio = round(aged.deliveries_per_s / fresh.deliveries_per_s, 2);
  console.log(`  aged drain ${n(aged.deliveries_per_s)} deliveries/s, ×${ratio} of fresh`);

  // The purge just left ~1,000,000 dead rows in each table; their vacuums take CPU from the
  // drain above. Once autovacuum has caught up, the same drain again.
  const vacuumWait = await autovacuumCaughtUp(ctx.sql);
  const settled = await drainBacklog(ctx, 1, backlog, 2 * backlog);
  const settledRatio = round(settled.deliveries_per_s / fresh.deliveries_per_s, 2);
  console.log(
    `  after ${vacuumWait.seconds} s of autovacuum: ${n(settled.deliveries_per_s)} deliveries/s, ×${settledRatio} of fresh`,
  );
  const rates = chunks.map((c) => c.deliveries_per_s);

  const rows: Row[] = [
    {
      phase: "aged",
      figure: `${n(total)} deliveries through in chunks of ${n(chunk)}, ${workers} workers`,
      result: `${pushSeconds} s; chunk drains ${n(rates[0] ?? Number.NaN)} … ${n(rates.at(-1) ?? Number.NaN)} deliveries/s (min ${n(Math.min(...rates))})`,
    },
    {
      phase: "aged",
      figure: "retention round (purgeOnce, batches of 10,000, no pause)",
      result: `${purgeSeconds} s: ${n(purged.attempts)} attempts, ${n(purged.deliveries)} deliveries, ${n(purged.events)} events`,
    },
    {
      phase: "aged",
      figure: "dead rows: before the purge → after it → after the aged drain",
      result: `${deadRows(beforePurge)} → ${deadRows(afterPurge)} → ${deadRows(afterDrain)}`,
    },
    memoryRow("aged", "peak RSS, largest of the chunk drains' workers", [
      { name: "worker", peak_mb: Math.max(...chunks.map((c) => c.worker_peak_mb)), hwm_mb: 0 },
    ]),
    drainRow("aged", `${n(backlog)} pending right after the purge, 1 worker`, aged),
    memoryRow("aged", "peak RSS, aged drain", aged.memory),
    {
      phase: "aged",
      figure: "right after the purge vs fresh 1-worker drain",
      result: `×${ratio} (${n(aged.deliveries_per_s)} vs ${n(fresh.deliveries_per_s)} deliveries/s)`,
    },
    {
      phase: "aged",
      figure: "autovacuum catching up after the purge",
      result: `${vacuumWait.seconds} s; dead rows then ${deadRows(vacuumWait.stats)}`,
    },
    drainRow("aged", `${n(backlog)} pending once autovacuum caught up, 1 worker`, settled),
    {
      phase: "aged",
      figure: "aged (autovacuum caught up) vs fresh 1-worker drain",
      result: `×${settledRatio} (${n(settled.deliveries_per_s)} vs ${n(fresh.deliveries_per_s)} deliveries/s)`,
      target: `≥ ${TARGET_RATIO}`,
      met: settledRatio >= TARGET_RATIO,
    },
  ];
  return {
    data: {
      total,
      chunk,
      workers,
      chunks,
      push_seconds: pushSeconds,
      purged,
      purge_seconds: purgeSeconds,
      table_stats: {
        before_purge: beforePurge,
        after_purge: afterPurge,
        after_drain: afterDrain,
      },
      drain: aged,
      fresh,
      ratio,
      vacuum_wait: vacuumWait,
      settled_drain: settled,
      settled_ratio: settledRatio,
    },
    rows,
  };
}
