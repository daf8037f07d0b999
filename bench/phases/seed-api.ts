// seed-api: the seed client's `POST /events { target_url, payload }` against `POST /v1/events`,
// closed loop at the ingest concurrency on an API-only Herald; then end to end, an API and a
// worker, events sent to one target_url until the receiver has them all. The reference is the
// seed-000 dispatcher tuned to poll every 10 ms for 100 rows: 145 deliveries/s end to end on
// this machine (measured when the issue was filed; its repository is not installable here).
import { apiClient } from "../lib/api.ts";
import { BENCH_TYPE, type BenchContext, type PhaseResult } from "../lib/context.ts";
import { closedLoop } from "../lib/load.ts";
import { emptyQueue } from "../lib/queue.ts";
import { latencyText, memoryRow, n } from "../lib/report.ts";
import { PAYLOAD } from "../lib/seed.ts";
import { perSecond, round, summarize } from "../lib/stats.ts";
import { withApi } from "./ingest.ts";

const SEED_END_TO_END_PER_S = 145;

export async function seedApiPhase(ctx: BenchContext): Promise<PhaseResult> {
  const { events, concurrency } = ctx.sizes.seedApi;
  const legacy = JSON.stringify({ target_url: ctx.receiverUrl, payload: PAYLOAD });
  const v1 = JSON.stringify({ type: BENCH_TYPE, payload: PAYLOAD });

  /** Ingest alone: an API-only Herald, `body` to `path`, after a tenth not measured. */
  const ingest = async (path: string, body: string) => {
    const { result: r } = await withApi(
      ctx,
      concurrency,
      async (send) => {
        await closedLoop({ total: Math.ceil(events / 10), concurrency, send });
        return closedLoop({ total: events, concurrency, send });
      },
      path,
      body,
    );
    return {
      per_s: perSecond(events - r.errors, r.elapsedMs),
      ...summarize(r.latencies),
      errors: r.errors,
    };
  };
  const v1Ingest = await ingest("/v1/events", v1);
  console.log(`  POST /v1/events: ${n(v1Ingest.per_s)} events/s`);
  const legacyIngest = await ingest("/events", legacy);
  console.log(`  POST /events: ${n(legacyIngest.per_s)} events/s`);

  // End to end: an API and a worker; the rate from the first request to the last arrival.
  await emptyQueue(ctx.sql);
  ctx.receiver.reset();
  const api = await ctx.fleet.api();
  await ctx.fleet.workers(1);
  const client = apiClient(api.child.url, concurrency);
  let e2e: { per_s: number; errors: number };
  try {
    const t0 = performance.now();
    const r = await closedLoop({
      total: events,
      concurrency,
      send: async () => (await client.postStatus("/events", legacy)) === 202,
    });
    const last = await ctx.receiver.requests(events - r.errors);
    e2e = { per_s: perSecond(events - r.errors, last - t0), errors: r.errors };
  } finally {
    await client.close();
  }
  const memory = await ctx.fleet.stop();
  const ratio = round(legacyIngest.per_s / v1Ingest.per_s, 2);
  const times = round(e2e.per_s / SEED_END_TO_END_PER_S, 1);
  console.log(`  POST /events end to end: ${n(e2e.per_s)} delivered/s (×${times} the seed)`);
  return {
    data: { events, concurrency, v1: v1Ingest, legacy: legacyIngest, end_to_end: e2e, memory },
    rows: [
      {
        phase: "seed-api",
        figure: `POST /v1/events, ${n(events)} events at concurrency ${concurrency}`,
        result: `${n(v1Ingest.per_s)} events/s; ${latencyText(v1Ingest)}`,
      },
      {
        phase: "seed-api",
        figure: "POST /events { target_url, payload }, the same",
        result: `${n(legacyIngest.per_s)} events/s; ${latencyText(legacyIngest)} (×${ratio} of /v1/events)`,
        target: "as fast as /v1/events",
        met: ratio >= 0.9,
      },
      {
        phase: "seed-api",
        figure: "POST /events end to end (API + 1 worker), first request to last delivery",
        result: `${n(e2e.per_s)} deliveries/s = ×${times} the seed-000 dispatcher's 145/s`,
        target: "≥ ×20",
        met: times >= 20,
      },
      memoryRow("seed-api", "peak RSS end to end", memory),
    ],
  };
}
