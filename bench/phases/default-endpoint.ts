// default-endpoint: one endpoint as POST /v1/endpoints makes it (max_in_flight 10, nothing
// else set), a receiver of its own answering 200 at once, a seeded backlog drained by one
// worker process: how many deliveries/s ten slots carry, and the most requests the receiver
// ever had open at once (never above the endpoint's limit).
import { apiClient } from "../lib/api.ts";
import type { BenchContext, PhaseResult } from "../lib/context.ts";
import { emptyQueue } from "../lib/queue.ts";
import { Receiver } from "../lib/receiver.ts";
import { memoryRow, n } from "../lib/report.ts";
import { timeDrain } from "./drain.ts";

const TYPE = "default.event";
const TARGET_PER_S = 4_000;

export async function defaultEndpointPhase(ctx: BenchContext): Promise<PhaseResult> {
  const { backlog } = ctx.sizes.defaultEndpoint;
  const receiver = new Receiver();
  let endpointId: string | undefined;
  try {
    const url = await receiver.listen();
    const api = await ctx.fleet.api();
    const client = apiClient(api.child.url, 1);
    try {
      const res = await client.post("/v1/endpoints", { url, event_types: [TYPE] });
      if (res.status !== 201) throw new Error(`creating an endpoint: ${JSON.stringify(res.body)}`);
      endpointId = res.body.id as string;
      if (res.body.max_in_flight !== 10) throw new Error(`max_in_flight ${res.body.max_in_flight}`);
    } finally {
      await client.close();
      await ctx.fleet.stop();
    }
    await emptyQueue(ctx.sql);
    const d = await timeDrain(ctx, {
      receiver,
      workers: 1,
      deliveries: backlog,
      succeeded: backlog,
      seed: backlog,
      type: TYPE,
    });
    const most = receiver.maxOpen;
    console.log(
      `  ${n(d.deliveries_per_s)} deliveries/s; at most ${most} requests open at once (limit 10)`,
    );
    return {
      data: { ...d, max_open_requests: most },
      rows: [
        {
          phase: "default-endpoint",
          figure: `${n(backlog)} pending for one endpoint with the default max_in_flight 10, 1 worker`,
          result: `${n(d.deliveries_per_s)} deliveries/s; at most ${most} requests open at once`,
          target: `≥ ${n(TARGET_PER_S)}/s, never more than 10 open`,
          met: d.deliveries_per_s >= TARGET_PER_S && most <= 10,
        },
        memoryRow("default-endpoint", "peak RSS", d.memory),
      ],
    };
  } finally {
    if (endpointId) {
      await emptyQueue(ctx.sql);
      await ctx.sql`delete from endpoints where id = ${endpointId}`;
    }
    await receiver.close();
  }
}
