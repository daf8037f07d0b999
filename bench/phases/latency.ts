// latency: end to end, from the 202 at the client to the receiver first seeing that event's
// webhook-id, with the API and one worker running:
//   - under a steady 1,000 events/s (open loop);
//   - on the then idle system, single events one at a time.
// Both clocks are this process's performance.now(); a delivery can reach the receiver before
// its 202 reaches the client, so a figure may be slightly negative.
import { apiClient } from "../lib/api.ts";
import { BENCH_TYPE, type BenchContext, type PhaseResult } from "../lib/context.ts";
import { openLoop, WARMUP_SECONDS } from "../lib/load.ts";
import { emptyQueue } from "../lib/queue.ts";
import { latencyText, memoryRow, ms, n } from "../lib/report.ts";
import { PAYLOAD } from "../lib/seed.ts";
import { summarize } from "../lib/stats.ts";

const TARGET_P50_MS = 10;
const TARGET_P99_MS = 50;

export async function latencyPhase(ctx: BenchContext): Promise<PhaseResult> {
  const { rate, seconds, connections, idleSamples } = ctx.sizes.latency;
  const { receiver } = ctx;
  await emptyQueue(ctx.sql);
  const [api] = await Promise.all([ctx.fleet.api(), ctx.fleet.workers(1)]);
  const client = apiClient(api.child.url, connections);
  receiver.reset();
  /** performance.now() of each accepted event's 202, by event id. */
  const acked = new Map<string, number>();
  const postEvent = async (payload: unknown) => {
    const res = await client.post("/v1/events", { type: BENCH_TYPE, payload });
    if (res.status === 202) acked.set(res.body.id, performance.now());
    return res.status === 202 ? (res.body.id as string) : undefined;
  };
  const sinceAck = (ids: Iterable<string>) =>
    [...ids].map((id) => (receiver.firstSeen.get(id) as number) - (acked.get(id) as number));

  try {
    const send = async () => (await postEvent(PAYLOAD)) !== undefined;
    await openLoop({ rate, seconds: WARMUP_SECONDS, connections, send });
    await receiver.distinctIds(acked.size);
    receiver.reset();
    acked.clear();
    const load = await openLoop({ rate, seconds, connections, send });
    await receiver.distinctIds(acked.size);
    const steady = {
      ...summarize(sinceAck(acked.keys()), 2),
      late: load.late,
      errors: load.errors,
    };
    console.log(
      `  at ${n(rate)}/s: ${latencyText(steady)}, ${load.late} late, ${load.errors} errors`,
    );

    const idleIds: string[] = [];
    for (let i = 0; i < idleSamples; i++) {
      const id = await postEvent({ i });
      if (!id) throw new Error("an idle event was not accepted");
      idleIds.push(id);
      await receiver.distinctIds(acked.size);
      await new Promise((r) => setTimeout(r, 20));
    }
    const idle = summarize(sinceAck(idleIds), 2);
    console.log(`  idle: ${latencyText(idle)}`);
    const memory = await ctx.fleet.stop();

    return {
      data: { rate, seconds, steady, idle, memory },
      rows: [
        {
          phase: "latency",
          figure: `202 → receiver, p50, at ${n(rate)} events/s for ${seconds} s, 1 worker`,
          result: ms(steady.p50_ms),
          target: `≤ ${TARGET_P50_MS} ms`,
          met: steady.p50_ms <= TARGET_P50_MS,
        },
        {
          phase: "latency",
          figure: "202 → receiver, p99 (max)",
          result: `${ms(steady.p99_ms)} (max ${ms(steady.max_ms)}); ${load.late} late, ${load.errors} errors`,
          target: `≤ ${TARGET_P99_MS} ms`,
          met: steady.p99_ms <= TARGET_P99_MS,
        },
        {
          phase: "latency",
          figure: `202 → receiver, idle, ${idleSamples} single events`,
          result: latencyText(idle),
        },
        memoryRow("latency", "peak RSS", memory),
      ],
    };
  } finally {
    await client.close();
  }
}
