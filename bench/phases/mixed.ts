// mixed: ingest and delivery at once, as a platform runs Herald all day — one process
// (`herald serve`, as `npm start` runs it), one API and one worker process, and
// `herald serve --processes 2` (two of the first, sharing the port). For each:
//   closed loop  `concurrency` callers posting POST /v1/events for `seconds` to the bench
//                endpoint (max_in_flight 1000): events accepted per second, deliveries that
//                reached the receiver in the same window, and what was left queued at its end;
//   open loop    `rate` events/s offered for `seconds`: ingest latency, and 202 → receiver.
import { apiClient } from "../lib/api.ts";
import { BENCH_TYPE, type BenchContext, type PhaseResult } from "../lib/context.ts";
import { cpuWindow, perEvent } from "../lib/cpu.ts";
import { closedLoop, openLoop, WARMUP_SECONDS } from "../lib/load.ts";
import { emptyQueue } from "../lib/queue.ts";
import { latencyText, memoryRow, n, type Row } from "../lib/report.ts";
import { PAYLOAD } from "../lib/seed.ts";
import { perSecond, summarize } from "../lib/stats.ts";

const TARGET_PER_S = 5_000;
const TARGET_INGEST_P99_MS = 25;
const TARGET_E2E_P99_MS = 50;

const EVENT_JSON = JSON.stringify({ type: BENCH_TYPE, payload: PAYLOAD });

type Setup = "one process" | "API + worker" | "2 processes";

export async function mixedPhase(ctx: BenchContext): Promise<PhaseResult> {
  const data: Record<string, unknown> = {};
  const rows: Row[] = [];
  for (const setup of ["one process", "API + worker", "2 processes"] as Setup[]) {
    const r = await mixedRun(ctx, setup);
    data[setup] = r.data;
    rows.push(...r.rows);
  }
  return { data, rows };
}

/** The WAL written so far (bytes) and the transactions committed in this database. */
async function walAndCommits(ctx: BenchContext): Promise<{ wal: number; commits: number }> {
  const [row] = await ctx.sql<{ wal: string; commits: string }[]>`
    select pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text as wal,
           (select xact_commit from pg_stat_database where datname = current_database())::text as commits`;
  return { wal: Number(row?.wal), commits: Number(row?.commits) };
}

async function mixedRun(ctx: BenchContext, setup: Setup): Promise<PhaseResult> {
  const { seconds, concurrency, rate, connections } = ctx.sizes.mixed;
  const { receiver } = ctx;
  await emptyQueue(ctx.sql);
  const api =
    setup === "API + worker"
      ? await ctx.fleet.api()
      : await ctx.fleet.all(setup === "2 processes" ? 2 : 1);
  if (setup === "API + worker") await ctx.fleet.workers(1);
  const client = apiClient(api.child.url, Math.max(concurrency, connections));
  receiver.reset();
  let accepted = 0;
  const send = async () => {
    const ok = (await client.postStatus("/v1/events", EVENT_JSON)) === 202;
    if (ok) accepted++;
    return ok;
  };
  try {
    // Not measured: a fresh process's first seconds (JIT, connections), then its backlog.
    await closedLoop({ seconds: WARMUP_SECONDS, concurrency, send });
    await receiver.requests(accepted);

    receiver.reset();
    accepted = 0;
    const cpu = cpuWindow(ctx.fleet.pids());
    const db0 = await walAndCommits(ctx);
    const closed = await closedLoop({ seconds, concurrency, send });
    const deliveredInWindow = receiver.count;
    const cpuSplit = cpu.end();
    const db1 = await walAndCommits(ctx);
    const endedAt = performance.now();
    const last = await receiver.requests(accepted, 60_000);
    const closedFigures = {
      seconds,
      concurrency,
      accepted_per_s: perSecond(accepted, closed.elapsedMs),
      delivered_per_s: perSecond(deliveredInWindow, closed.elapsedMs),
      queued_at_end: accepted - deliveredInWindow,
      drained_after_ms: Math.max(0, Math.round(last - endedAt)),
      ingest: summarize(closed.latencies),
      errors: closed.errors,
      cpu_s: cpuSplit,
      cpu_us_per_event: perEvent(cpuSplit, accepted),
      wal_bytes_per_event: Math.round((db1.wal - db0.wal) / accepted),
      commits_per_event: Math.round(((db1.commits - db0.commits) / accepted) * 100) / 100,
    };
    console.log(
      `  ${setup}, closed loop ${concurrency}: ${n(closedFigures.accepted_per_s)} accepted/s, ${n(closedFigures.delivered_per_s)} delivered/s, ${n(closedFigures.queued_at_end)} queued at the end (drained ${n(closedFigures.drained_after_ms)} ms later), ingest ${latencyText(closedFigures.ingest)}`,
    );

    // Open loop: each 202's event id, to time its delivery.
    receiver.reset();
    const acked = new Map<string, number>();
    const sendTimed = async () => {
      const res = await client.post("/v1/events", { type: BENCH_TYPE, payload: PAYLOAD });
      if (res.status !== 202) return false;
      acked.set(res.body.id, performance.now());
      return true;
    };
    const open = await openLoop({ rate, seconds, connections, send: sendTimed });
    await receiver.distinctIds(acked.size, 60_000);
    const e2e = summarize(
      [...acked].map(([id, at]) => (receiver.firstSeen.get(id) as number) - at),
      1,
    );
    const ingest = summarize(open.latencies);
    const openFigures = {
      rate,
      seconds,
      ingest,
      end_to_end: e2e,
      late: open.late,
      errors: open.errors,
    };
    console.log(
      `  ${setup}, ${n(rate)}/s offered: ingest ${latencyText(ingest)}; 202 → receiver ${latencyText(e2e)}; ${open.late} late, ${open.errors} errors`,
    );
    const memory = await ctx.fleet.stop();

    const slowest = Math.min(closedFigures.accepted_per_s, closedFigures.delivered_per_s);
    // Not growing: what is left at the end is under a second of what was accepted.
    const steady = closedFigures.queued_at_end <= closedFigures.accepted_per_s;
    return {
      data: { closed: closedFigures, open: openFigures, memory },
      rows: [
        {
          phase: "mixed",
          figure: `${setup}: accepted and delivered/s, closed loop ${concurrency} for ${seconds} s`,
          result: `${n(closedFigures.accepted_per_s)} accepted/s, ${n(closedFigures.delivered_per_s)} delivered/s; ${n(closedFigures.queued_at_end)} queued at the end; ingest ${latencyText(closedFigures.ingest)}; ${closed.errors} errors`,
          target: `≥ ${n(TARGET_PER_S)}/s both, queue not growing`,
          met: slowest >= TARGET_PER_S && steady,
        },
        {
          phase: "mixed",
          figure: `${setup}: ingest latency at ${n(rate)} events/s offered`,
          result: `${latencyText(ingest)}; ${open.late} late, ${open.errors} errors`,
          target: `p99 ≤ ${TARGET_INGEST_P99_MS} ms`,
          met: ingest.p99_ms <= TARGET_INGEST_P99_MS,
        },
        {
          phase: "mixed",
          figure: `${setup}: 202 → receiver at ${n(rate)} events/s offered`,
          result: latencyText(e2e),
          target: `p99 ≤ ${TARGET_E2E_P99_MS} ms`,
          met: e2e.p99_ms <= TARGET_E2E_P99_MS,
        },
        {
          phase: "mixed",
          figure: `${setup}: CPU per event accepted, closed loop`,
          result: Object.entries(closedFigures.cpu_us_per_event)
            .map(([k, v]) => `${k} ${v} µs`)
            .join(", ")
            .concat(
              `; WAL ${n(closedFigures.wal_bytes_per_event)} bytes, ${closedFigures.commits_per_event} commits`,
            ),
        },
        memoryRow("mixed", `${setup}: peak RSS`, memory),
      ],
    };
  } finally {
    await client.close();
  }
}
