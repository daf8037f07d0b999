// memory: does a process's resident size stay flat as the backlog grows? 1,000,000 pending
// deliveries (20,000 events to the 50 fan-out endpoints, seeded without HTTP), then an API and
// one worker run for 20 s while the worker drains; their RSS is sampled every 250 ms and the
// worker's peak compared with its peak draining the drain phase's much smaller backlog.
// The rows left pending are emptied by the next phase.
import { type BenchContext, FANOUT_TYPE, type PhaseResult } from "../lib/context.ts";
import { emptyQueue, tableStats } from "../lib/queue.ts";
import { n, type Row, RSS_TARGET_MB } from "../lib/report.ts";
import { peakOf } from "../lib/rss.ts";
import { seedEvents } from "../lib/seed.ts";
import { perSecond, round } from "../lib/stats.ts";

/** "Flat" allows this much growth of the worker's peak over the small-backlog drain. */
const FLAT_RATIO = 1.2;

export async function memoryPhase(ctx: BenchContext): Promise<PhaseResult> {
  const { events, seconds } = ctx.sizes.memory;
  await emptyQueue(ctx.sql);
  const seeded = await seedEvents(ctx.sql, {
    events,
    type: FANOUT_TYPE,
    // 200 events × 50 endpoints: 10,000 deliveries per statement.
    batch: 200,
    progress: "seeding",
  });
  const pending = seeded.deliveries;
  // Whether autovacuum has analyzed the grown table yet decides the plans the worker uses.
  const statsAtStart = await tableStats(ctx.sql);

  ctx.fanout.reset();
  const [api, [worker]] = await Promise.all([ctx.fleet.api(), ctx.fleet.workers(1)]);
  const t0 = performance.now();
  for (let s = 1; s <= seconds; s++) {
    await new Promise((r) => setTimeout(r, 1000));
    if (s % 5 === 0 || s === seconds) {
      const rss = [api, worker].map((m) => `${m?.name} ${m?.rss.summary().end_mb} MB`).join(", ");
      console.log(`  ${s} s: ${n(ctx.fanout.count)} delivered; RSS ${rss}`);
    }
  }
  const delivered = ctx.fanout.count;
  const deliveredPerS = perSecond(delivered, performance.now() - t0);
  const memory = await ctx.fleet.stop();
  const statsAtEnd = await tableStats(ctx.sql);

  const workerMemory = memory.find((m) => m.name.startsWith("worker"));
  const workerPeak = workerMemory ? peakOf(workerMemory) : Number.NaN;
  const base = ctx.baseline.drain1;
  const ratio = base ? round(workerPeak / base.worker_peak_mb, 2) : Number.NaN;
  const rows: Row[] = [
    {
      phase: "memory",
      figure: `seed ${n(pending)} pending deliveries (${n(events)} events × 50), writeEvents`,
      result: `${seeded.seconds} s (${n(pending / seeded.seconds)} deliveries/s)`,
    },
    ...memory.map((m) => ({
      phase: "memory",
      figure: `${m.name} RSS over ${seconds} s with ${n(pending)} pending: start / peak / end`,
      result: `${m.start_mb} / ${peakOf(m)} / ${m.end_mb} MB`,
      target: `≤ ${RSS_TARGET_MB} MB`,
      met: peakOf(m) <= RSS_TARGET_MB,
    })),
    {
      phase: "memory",
      figure: base
        ? `worker peak vs draining ${n(base.deliveries)} (drain phase, 1 worker)`
        : "worker peak vs the drain phase's (not run)",
      result: base ? `${workerPeak} vs ${base.worker_peak_mb} MB (×${ratio})` : "n/a",
      target: `flat (≤ ×${FLAT_RATIO})`,
      met: base ? ratio <= FLAT_RATIO : undefined,
    },
    {
      phase: "memory",
      figure: `delivered in those ${seconds} s, 1 worker`,
      result: `${n(delivered)} (${n(deliveredPerS)} deliveries/s)`,
    },
  ];
  return {
    data: {
      pending,
      seeded,
      seconds,
      delivered,
      delivered_per_s: deliveredPerS,
      memory,
      ratio,
      table_stats: { start: statsAtStart, end: statsAtEnd },
    },
    rows,
  };
}
