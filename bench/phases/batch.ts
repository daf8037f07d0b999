// batch: POST /v1/events/batch against an API-only Herald (no worker), batches of 100 and of
// 1,000 events, each event matching the one bench endpoint (so each also writes a delivery),
// a few requests in flight at once. The figure is events accepted (committed) per second.
import { apiClient } from "../lib/api.ts";
import { BENCH_TYPE, type BenchContext, type PhaseResult } from "../lib/context.ts";
import { closedLoop } from "../lib/load.ts";
import { emptyQueue } from "../lib/queue.ts";
import { latencyText, memoryRow, n } from "../lib/report.ts";
import { PAYLOAD } from "../lib/seed.ts";
import { perSecond, summarize } from "../lib/stats.ts";

const TARGET_EVENTS_PER_S = 50_000;
const SIZES = [100, 1_000];

export async function batchPhase(ctx: BenchContext): Promise<PhaseResult> {
  const { events, concurrency } = ctx.sizes.batch;
  const rows: PhaseResult["rows"] = [];
  const runs: Record<string, unknown>[] = [];
  for (const size of SIZES) {
    const body = JSON.stringify({
      events: Array.from({ length: size }, () => ({ type: BENCH_TYPE, payload: PAYLOAD })),
    });
    const requests = Math.ceil(events / size);
    await emptyQueue(ctx.sql);
    const api = await ctx.fleet.api();
    const client = apiClient(api.child.url, concurrency);
    let r: Awaited<ReturnType<typeof closedLoop>>;
    try {
      const send = async () => (await client.postStatus("/v1/events/batch", body)) === 200;
      // A fresh process is slow for its first second or so (JIT, connections): not measured.
      await closedLoop({ total: Math.max(2, Math.ceil(requests / 10)), concurrency, send });
      r = await closedLoop({ total: requests, concurrency, send });
    } finally {
      await client.close();
    }
    const memory = await ctx.fleet.stop();
    const perS = perSecond((requests - r.errors) * size, r.elapsedMs);
    const latency = summarize(r.latencies);
    console.log(
      `  batches of ${size}: ${n(perS)} events/s, ${latencyText(latency)}, ${r.errors} errors`,
    );
    runs.push({
      size,
      requests,
      concurrency,
      events_per_s: perS,
      ...latency,
      errors: r.errors,
      memory,
    });
    rows.push(
      {
        phase: "batch",
        figure: `events accepted/s, ${n(requests * size)} events in batches of ${n(size)}, ${concurrency} in flight`,
        result: `${n(perS)} events/s; per batch ${latencyText(latency)}; ${r.errors} errors`,
        target: `≥ ${n(TARGET_EVENTS_PER_S)} events/s`,
        met: perS >= TARGET_EVENTS_PER_S && r.errors === 0,
      },
      memoryRow("batch", `peak RSS, batches of ${n(size)}`, memory),
    );
  }
  return { data: { runs }, rows };
}
