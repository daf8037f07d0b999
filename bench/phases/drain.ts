// drain: a backlog of pending deliveries, seeded without HTTP, delivered by 1, 2 and 4 worker
// processes to a receiver answering 200 at once.
//
// The backlog is seeded in one transaction that commits only once every worker has started,
// so all of them meet the whole backlog at once (the commit's NOTIFY wakes them): the rate, from
// the first request the receiver sees to the arrival of the last, leaves the start out, and
// the 4-worker figure is not the first worker's while the others still start. "Seconds
// including start" adds the workers' start to the drain.
import { BENCH_TYPE, type BenchContext, type PhaseResult } from "../lib/context.ts";
import type { ProcessMemory } from "../lib/herald.ts";
import { emptyQueue, untilSucceeded } from "../lib/queue.ts";
import type { Receiver } from "../lib/receiver.ts";
import { memoryRow, n, type Row } from "../lib/report.ts";
import { peakOf } from "../lib/rss.ts";
import { seedEvents } from "../lib/seed.ts";
import { perSecond, round } from "../lib/stats.ts";

export interface DrainFigures {
  deliveries: number;
  workers: number;
  deliveries_per_s: number;
  /** From spawning the workers until all had started, s. */
  start_s: number;
  seconds_including_start: number;
  /** Seeding the backlog, s (0 when it was there already). */
  seed_s: number;
  /** Requests the receiver got beyond `deliveries` (a delivery sent twice). */
  extra_requests: number;
  memory: ProcessMemory[];
}

export interface DrainOptions {
  receiver: Receiver;
  workers: number;
  /** Deliveries the receiver must see. */
  deliveries: number;
  /** Succeeded deliveries in the table once done: this round's and earlier ones' still there. */
  succeeded: number;
  /**
   * Events of the bench type (one delivery each) to seed first, committed once the workers
   * have started. Without it the backlog is already there and the workers start on it.
   */
  seed?: number;
  /** The seeded events' type (default the bench endpoint's). */
  type?: string;
}

/**
 * Runs `workers` worker processes on the backlog until the receiver has seen `deliveries`
 * requests and the database counts `succeeded`, then stops them.
 */
export async function timeDrain(ctx: BenchContext, o: DrainOptions): Promise<DrainFigures> {
  o.receiver.reset();
  let startS = 0;
  let seedS = 0;
  const startWorkers = async () => {
    const t = performance.now();
    await ctx.fleet.workers(o.workers);
    startS = round((performance.now() - t) / 1000, 2);
  };
  const seed = o.seed;
  if (seed) {
    await ctx.sql.begin(async (tx) => {
      const seeded = await seedEvents(tx, {
        events: seed,
        type: o.type ?? BENCH_TYPE,
        batch: 1_000,
      });
      if (seeded.deliveries !== seed) {
        throw new Error(`seeding made ${seeded.deliveries} deliveries, expected ${seed}`);
      }
      seedS = seeded.seconds;
      await startWorkers();
    });
  } else {
    await startWorkers();
  }
  const from = performance.now();
  const lastAt = await o.receiver.requests(o.deliveries);
  await untilSucceeded(ctx.sql, o.succeeded);
  const memory = await ctx.fleet.stop();
  return {
    deliveries: o.deliveries,
    workers: o.workers,
    deliveries_per_s: perSecond(o.deliveries, lastAt - o.receiver.firstAt),
    start_s: startS,
    seconds_including_start: round(startS + (lastAt - from) / 1000, 2),
    seed_s: seedS,
    extra_requests: o.receiver.count - o.deliveries,
    memory,
  };
}

/** A drain of `backlog` deliveries seeded into the tables as they are (emptied or aged). */
export function drainBacklog(
  ctx: BenchContext,
  workers: number,
  backlog: number,
  succeeded = backlog,
) {
  return timeDrain(ctx, {
    receiver: ctx.receiver,
    workers,
    deliveries: backlog,
    succeeded,
    seed: backlog,
  });
}

/** A drain of the drain phase's backlog on emptied tables; with 1 worker, the baseline. */
export async function freshDrain(ctx: BenchContext, workers: number): Promise<DrainFigures> {
  const { backlog } = ctx.sizes.drain;
  await emptyQueue(ctx.sql);
  const figures = await drainBacklog(ctx, workers, backlog);
  if (workers === 1) {
    ctx.baseline.drain1 = {
      deliveries: backlog,
      deliveries_per_s: figures.deliveries_per_s,
      worker_peak_mb: Math.max(...figures.memory.map(peakOf)),
    };
  }
  return figures;
}

/** A row for a drain: rate, and seconds including the workers' start. */
export function drainRow(phase: string, figure: string, d: DrainFigures): Row {
  const extra = d.extra_requests ? `; ${d.extra_requests} requests beyond the backlog` : "";
  return {
    phase,
    figure,
    result: `${n(d.deliveries_per_s)} deliveries/s (${d.seconds_including_start} s incl. ${d.start_s} s start${extra})`,
  };
}

export async function drainPhase(ctx: BenchContext): Promise<PhaseResult> {
  const rounds: DrainFigures[] = [];
  const rows: Row[] = [];
  const { backlog, workers } = ctx.sizes.drain;
  for (const w of workers) {
    const who = `${w} worker${w > 1 ? "s" : ""}`;
    const d = await freshDrain(ctx, w);
    rounds.push(d);
    console.log(
      `  ${who}: seeded in ${d.seed_s} s, ${n(d.deliveries_per_s)} deliveries/s (${d.seconds_including_start} s incl. start)`,
    );
    rows.push(drainRow("drain", `${n(backlog)} pending, ${who}`, d));
    rows.push(memoryRow("drain", `peak RSS, ${who}`, d.memory));
  }
  return { data: { backlog, rounds }, rows };
}
