// ingest: POST /v1/events against an API-only Herald (no worker), each event matching the one
// bench endpoint so it also writes a delivery; a 202 means both are committed.
//   ingest       — closed loop at a fixed concurrency: the most it accepts, and at what latency;
//   ingest-rate  — open loop at a fixed offered rate: latency when it is not saturated.
import { apiClient } from "../lib/api.ts";
import { BENCH_TYPE, type BenchContext, type PhaseResult } from "../lib/context.ts";
import { closedLoop, openLoop, type Send, WARMUP_SECONDS } from "../lib/load.ts";
import { emptyQueue } from "../lib/queue.ts";
import { latencyText, memoryRow, n } from "../lib/report.ts";
import { PAYLOAD } from "../lib/seed.ts";
import { perSecond, round, summarize } from "../lib/stats.ts";

const TARGET_P99_MS = 25;
const TARGET_EVENTS_PER_S = 10_000;

/** The body of every ingest request, serialized once. */
const EVENT_JSON = JSON.stringify({ type: BENCH_TYPE, payload: PAYLOAD });

/**
 * Starts an API process and a client with `connections`; runs `load`, whose `send` posts `body`
 * (serialized) to `path` and expects 202; stops both.
 */
export async function withApi<T>(
  ctx: BenchContext,
  connections: number,
  load: (send: Send) => Promise<T>,
  path = "/v1/events",
  body = EVENT_JSON,
) {
  await emptyQueue(ctx.sql);
  const api = await ctx.fleet.api();
  const client = apiClient(api.child.url, connections);
  try {
    const send: Send = async () => (await client.postStatus(path, body)) === 202;
    const result = await load(send);
    return { result, memory: await ctx.fleet.stop() };
  } finally {
    await client.close();
  }
}

export async function ingestPhase(ctx: BenchContext): Promise<PhaseResult> {
  const { events, concurrencies } = ctx.sizes.ingest;
  const runs = [];
  const rows: PhaseResult["rows"] = [];
  for (const concurrency of concurrencies) {
    // A fresh process is slow for its first second or so (JIT, connections): not measured.
    const { result: r, memory } = await withApi(ctx, concurrency, async (send) => {
      await closedLoop({ total: Math.ceil(events / 10), concurrency, send });
      return closedLoop({ total: events, concurrency, send });
    });
    const latency = summarize(r.latencies);
    const figures = {
      events,
      concurrency,
      events_per_s: perSecond(events - r.errors, r.elapsedMs),
      ...latency,
      errors: r.errors,
      memory,
    };
    runs.push(figures);
    console.log(
      `  concurrency ${concurrency}: ${n(figures.events_per_s)} events/s, ${latencyText(latency)}, ${r.errors} errors`,
    );
    rows.push(
      {
        phase: "ingest",
        figure: `accepted events/s, ${n(events)} events at concurrency ${concurrency}`,
        result: `${n(figures.events_per_s)} events/s; ${latencyText(latency)}; ${r.errors} errors`,
        target: `≥ ${n(TARGET_EVENTS_PER_S)} events/s`,
        met: figures.events_per_s >= TARGET_EVENTS_PER_S,
      },
      memoryRow("ingest", `peak RSS at concurrency ${concurrency}`, memory),
    );
  }
  return { data: { runs }, rows };
}

export async function ingestRatePhase(ctx: BenchContext): Promise<PhaseResult> {
  const { rate, seconds, connections } = ctx.sizes.ingestRate;
  const { result: r, memory } = await withApi(ctx, connections, async (send) => {
    await openLoop({ rate, seconds: WARMUP_SECONDS, connections, send });
    return openLoop({ rate, seconds, connections, send });
  });
  const latency = summarize(r.latencies);
  const figures = {
    offered_per_s: rate,
    seconds,
    connections,
    sent: r.sent,
    sent_per_s: perSecond(r.sent, r.sendingMs),
    accepted_per_s: perSecond(r.sent - r.errors, r.elapsedMs),
    late: r.late,
    errors: r.errors,
    ...latency,
    memory,
  };
  console.log(
    `  ${n(figures.accepted_per_s)} accepted/s, ${latencyText(latency)}, ${r.late} late, ${r.errors} errors`,
  );
  return {
    data: figures,
    rows: [
      {
        phase: "ingest-rate",
        figure: `latency at ${n(rate)} events/s offered for ${seconds} s`,
        result: latencyText(latency),
        target: `p99 ≤ ${TARGET_P99_MS} ms`,
        met: latency.p99_ms <= TARGET_P99_MS,
      },
      {
        phase: "ingest-rate",
        figure: "achieved rate",
        result: `${n(figures.sent_per_s)} sent/s, ${n(figures.accepted_per_s)} accepted/s; ${n(r.late)} late (${round((100 * r.late) / r.sent)}%), ${r.errors} errors`,
      },
      memoryRow("ingest-rate", "peak RSS", memory),
    ],
  };
}
