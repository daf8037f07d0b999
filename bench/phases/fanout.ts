// fanout: one event to 50 endpoints, each on its own receiver port (its own origin, so its own
// connection pool in the worker). Ingest at a fixed concurrency against an API-only Herald,
// then the backlog drained by 2 workers.
import { apiClient } from "../lib/api.ts";
import { type BenchContext, FANOUT_TYPE, type PhaseResult } from "../lib/context.ts";
import { closedLoop } from "../lib/load.ts";
import { emptyQueue } from "../lib/queue.ts";
import { latencyText, memoryRow, n } from "../lib/report.ts";
import { PAYLOAD } from "../lib/seed.ts";
import { perSecond, summarize } from "../lib/stats.ts";
import { drainRow, timeDrain } from "./drain.ts";

export async function fanoutPhase(ctx: BenchContext): Promise<PhaseResult> {
  const { endpoints, events, concurrency, workers } = ctx.sizes.fanout;
  await emptyQueue(ctx.sql);
  const api = await ctx.fleet.api();
  const client = apiClient(api.child.url, concurrency);
  let deliveries = 0;
  /** 202s whose body did not say one delivery per fan-out endpoint. */
  let wrongFanout = 0;
  const load = await closedLoop({
    total: events,
    concurrency,
    send: async () => {
      const res = await client.post("/v1/events", { type: FANOUT_TYPE, payload: PAYLOAD });
      if (res.status !== 202) return false;
      deliveries += res.body.deliveries;
      if (res.body.deliveries === endpoints) return true;
      wrongFanout++;
      return false;
    },
  }).finally(() => client.close());
  const apiMemory = await ctx.fleet.stop();
  const ingest = {
    events,
    concurrency,
    events_per_s: perSecond(events, load.elapsedMs),
    deliveries_per_s: perSecond(deliveries, load.elapsedMs),
    ...summarize(load.latencies),
    errors: load.errors,
    wrong_fanout: wrongFanout,
  };
  console.log(
    `  ingest: ${n(ingest.events_per_s)} events/s, ${n(ingest.deliveries_per_s)} deliveries/s, ${load.errors} errors`,
  );

  const drain = await timeDrain(ctx, {
    receiver: ctx.fanout,
    workers,
    deliveries,
    succeeded: deliveries,
  });
  console.log(`  drain: ${n(drain.deliveries_per_s)} deliveries/s`);
  const memory = [...apiMemory, ...drain.memory];

  return {
    data: { endpoints, ingest, drain, memory },
    rows: [
      {
        phase: "fanout",
        figure: `ingest, ${n(events)} events × ${endpoints} endpoints, concurrency ${concurrency}`,
        result: `${n(ingest.events_per_s)} events/s = ${n(ingest.deliveries_per_s)} deliveries written/s; ${latencyText(ingest)}`,
      },
      {
        phase: "fanout",
        figure: `202 bodies saying deliveries = ${endpoints}`,
        result: `${n(events - load.errors)} of ${n(events)}`,
        target: "all",
        met: load.errors === 0,
      },
      drainRow("fanout", `drain ${n(deliveries)} deliveries, ${workers} workers`, drain),
      memoryRow("fanout", "peak RSS", memory),
    ],
  };
}
