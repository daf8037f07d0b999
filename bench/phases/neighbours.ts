// neighbours: 50 healthy endpoints alone, then beside 200 endpoints that never answer, with one
// worker on default settings (HERALD_TIMEOUT_MS 10 s, concurrency 128, default max_in_flight).
// Every endpoint is its own origin (its own port), as merchants are. Each round seeds its
// backlog in one transaction committed once the worker has started — the dead endpoints' 10
// deliveries each first, so they are due before the healthy ones — and measures the healthy
// deliveries/s from that commit until the last healthy delivery arrived. The ratio of the two
// rates is what a healthy merchant keeps of its throughput when 200 others are dead. A first
// round on the fresh tables (the endpoints' first deliveries, statistics from empty tables) runs
// slower whatever the neighbours; it is reported, and not compared.
import { createServer, type Server } from "node:http";
import { apiClient } from "../lib/api.ts";
import type { BenchContext, PhaseResult } from "../lib/context.ts";
import { emptyQueue } from "../lib/queue.ts";
import { closeServers, Receiver } from "../lib/receiver.ts";
import { memoryRow, n } from "../lib/report.ts";
import { seedEvents } from "../lib/seed.ts";
import { perSecond, round } from "../lib/stats.ts";

const HEALTHY_TYPE = "neighbours.healthy";
const DEAD_TYPE = "neighbours.dead";

/** Listeners that accept requests and never answer them. */
class Blackhole {
  private readonly servers: Server[] = [];

  async listen(): Promise<string> {
    const server = createServer((req) => req.resume());
    server.headersTimeout = 0;
    server.requestTimeout = 0;
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    this.servers.push(server);
    return `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  }

  close(): Promise<void> {
    return closeServers(this.servers);
  }
}

interface Round {
  healthy_deliveries: number;
  dead_deliveries: number;
  healthy_per_s: number;
  seconds: number;
}

export async function neighboursPhase(ctx: BenchContext): Promise<PhaseResult> {
  const { healthy, dead, healthyEvents, deadEvents } = ctx.sizes.neighbours;
  const receiver = new Receiver();
  const blackhole = new Blackhole();
  try {
    const api = await ctx.fleet.api();
    const client = apiClient(api.child.url, 8);
    try {
      const create = async (url: string, type: string) => {
        const res = await client.post("/v1/endpoints", { url, event_types: [type] });
        if (res.status !== 201)
          throw new Error(`creating an endpoint: ${JSON.stringify(res.body)}`);
      };
      for (let i = 0; i < healthy; i++) await create(await receiver.listen(), HEALTHY_TYPE);
      for (let i = 0; i < dead; i++) await create(await blackhole.listen(), DEAD_TYPE);
    } finally {
      await client.close();
      await ctx.fleet.stop();
    }

    const runRound = async (
      withDead: boolean,
    ): Promise<{ r: Round; memory: Awaited<ReturnType<typeof ctx.fleet.stop>> }> => {
      await emptyQueue(ctx.sql);
      // Every round starts from healthy-looking endpoints: no circuit, no failure streak.
      await ctx.sql`update endpoints set consecutive_failures = 0, circuit_open_until = null,
        circuit_cooldown_ms = null, failing_since = null, in_flight = 0`;
      receiver.reset();
      const want = healthyEvents * healthy;
      let committed = 0;
      await ctx.sql.begin(async (tx) => {
        if (withDead) await seedEvents(tx, { events: deadEvents, type: DEAD_TYPE, batch: 1_000 });
        await seedEvents(tx, { events: healthyEvents, type: HEALTHY_TYPE, batch: 1_000 });
        await ctx.fleet.workers(1);
        committed = performance.now();
      });
      // Measured from the commit (the worker is waiting for it): the healthy backlog's whole
      // wait counts, including any time the dead endpoints held the slots at the start.
      const lastAt = await receiver.requests(want, 120_000);
      const memory = await ctx.fleet.stop();
      const seconds = (lastAt - committed) / 1000;
      return {
        r: {
          healthy_deliveries: want,
          dead_deliveries: withDead ? deadEvents * dead : 0,
          healthy_per_s: perSecond(want, lastAt - committed),
          seconds: round(seconds, 2),
        },
        memory,
      };
    };

    const first = await runRound(false);
    console.log(`  first round, fresh tables: ${n(first.r.healthy_per_s)} deliveries/s`);
    const alone = await runRound(false);
    console.log(`  ${healthy} healthy alone: ${n(alone.r.healthy_per_s)} deliveries/s`);
    const beside = await runRound(true);
    console.log(`  beside ${dead} that never answer: ${n(beside.r.healthy_per_s)} deliveries/s`);
    const ratio = round(beside.r.healthy_per_s / alone.r.healthy_per_s, 2);
    return {
      data: { healthy, dead, first: first.r, alone: alone.r, beside: beside.r, ratio },
      rows: [
        {
          phase: "neighbours",
          figure: `first round on fresh tables, ${healthy} healthy endpoints alone (not compared)`,
          result: `${n(first.r.healthy_per_s)} deliveries/s (${first.r.seconds} s)`,
        },
        {
          phase: "neighbours",
          figure: `${n(alone.r.healthy_deliveries)} deliveries to ${healthy} healthy endpoints, alone, 1 worker`,
          result: `${n(alone.r.healthy_per_s)} deliveries/s (${alone.r.seconds} s)`,
        },
        {
          phase: "neighbours",
          figure: `the same beside ${dead} endpoints that never answer (${n(beside.r.dead_deliveries)} deliveries due first)`,
          result: `${n(beside.r.healthy_per_s)} deliveries/s (${beside.r.seconds} s)`,
        },
        {
          phase: "neighbours",
          figure: "healthy throughput kept beside them",
          result: `×${ratio}`,
          target: "≥ 0.8",
          met: ratio >= 0.8,
        },
        memoryRow("neighbours", "peak RSS of the worker beside them", beside.memory),
      ],
    };
  } finally {
    await receiver.close();
    await blackhole.close();
    // Their endpoints are no one's now: deleted, so later phases' workers never try them.
    await ctx.sql`update endpoints set deleted_at = now()
      where event_types && array[${HEALTHY_TYPE}, ${DEAD_TYPE}]::text[]`;
    await emptyQueue(ctx.sql);
  }
}
